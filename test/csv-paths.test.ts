import { describe, expect, it } from 'vitest';
import { type CsvOptions, readCsv } from '../src/data/csv.js';
import { loadDatasets, resolveDatasetSpec } from '../src/data/load.js';
import { fixture, root } from './support/helpers.js';

// Records without quotes take the byte-level fast path; csv-parse reads the others. Both must
// read every file alike, to the last bit of every number, and refuse bad ones with one message.
const good = [
  `${root}/datasets/iris.csv`,
  ...['iris-bom-crlf', 'iris-semicolon', 'iris-tab', 'iris-names', 'wine', 'digits', 'categorical', 'numbers'].map(
    (n) => fixture(`csv/${n}.csv`),
  ),
];
const bad = [
  'short-row',
  'long-row',
  'not-a-number',
  'mixed-column',
  'empty-label',
  'missing',
  'long-line',
  'one-class',
];

const read = (file: string, parser: CsvOptions['parser'], missing: CsvOptions['missing'] = 'error') =>
  readCsv(file, file, 'x', { missing, parser });

const error = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (e: unknown) => (e as Error).message,
  );

describe('the fast path and csv-parse read files alike', () => {
  it.each(good)('%s', async (file) => {
    const [fast, library] = await Promise.all([read(file, 'auto'), read(file, 'csv-parse')]);
    expect(fast.recordsCsvParse).toBe(0);
    expect(library.recordsFast).toBe(0);
    expect(fast.dataset.sha256).toBe(library.dataset.sha256);
    expect(fast.encoding).toEqual(library.encoding);
    expect(Array.from(fast.dataset.features)).toEqual(Array.from(library.dataset.features));
  });

  it('numbers in every accepted form read as Number() reads them', async () => {
    const table = await read(fixture('csv/numbers.csv'), 'auto');
    const text = (await import('node:fs')).readFileSync(fixture('csv/numbers.csv'), 'utf8');
    const expected = text
      .trimEnd()
      .split('\n')
      .slice(1)
      .flatMap((line) =>
        line
          .split(',')
          .slice(0, 3)
          .map((cell) => Number(cell)),
      );
    expect(Array.from(table.dataset.features)).toEqual(expected);
    expect(Object.is(table.dataset.features[4 * 3], -0)).toBe(false); // row 0 is "0"
    expect(Object.is(table.dataset.features[1 * 3], -0)).toBe(true); // row 1 is "-0"
  });

  it('a file whose quotes start midway is read by both paths, and as if unquoted', async () => {
    const quoted = await read(fixture('csv/iris-quoted.csv'), 'auto');
    const plain = await read(`${root}/datasets/iris.csv`, 'auto');
    expect(quoted.recordsCsvParse).toBe(150);
    expect(quoted.dataset.sha256).toBe(plain.dataset.sha256);
  });

  it.each(bad)('%s: the same error from both', async (name) => {
    const file = fixture(`csv/${name}.csv`);
    const [fast, library] = await Promise.all([error(read(file, 'auto')), error(read(file, 'csv-parse'))]);
    expect(fast).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    expect(library).toBe(fast);
  });

  it('--missing drop drops the same rows on both paths', async () => {
    const file = fixture('csv/missing.csv');
    const [fast, library] = await Promise.all([read(file, 'auto', 'drop'), read(file, 'csv-parse', 'drop')]);
    expect(fast.droppedRows).toBe(3);
    expect(library.droppedRows).toBe(3);
    expect(fast.dataset.sha256).toBe(library.dataset.sha256);
  });

  it('a loader thread hands back the same data on shared memory', async () => {
    const specs = [fixture('csv/wine.csv'), fixture('csv/digits.csv')].map(resolveDatasetSpec);
    const [onThreads, here] = await Promise.all([
      loadDatasets(specs, { missing: 'error' }, 'always'),
      loadDatasets(specs, { missing: 'error' }, 'never'),
    ]);
    for (let i = 0; i < specs.length; i++) {
      expect(onThreads[i]!.dataset.sha256).toBe(here[i]!.dataset.sha256);
      expect(onThreads[i]!.dataset.features.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(onThreads[i]!.dataset.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });
});

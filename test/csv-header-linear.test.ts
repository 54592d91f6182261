// The duplicate-header check reads each name a bounded number of times: counted, not timed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkColumnNames } from '../src/data/table.js';
import { runCli, tempDir } from './support/helpers.js';

/** The names behind a Proxy that counts every read of an element. */
function counted(names: string[]): { names: string[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(names, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { names: proxy, reads: () => reads };
}

describe('the duplicate-header check is linear', () => {
  it.each([1_000, 4_000])('reads each of %i distinct names a few times, not once per other name', (n) => {
    const header = counted(Array.from({ length: n }, (_, i) => `c${i}`));
    checkColumnNames(header.names, 'x.csv:1');
    expect(header.reads()).toBeLessThanOrEqual(4 * n);
  });

  it('finds a repeat at the end of a long header with as few reads, naming both columns', () => {
    const n = 4_000;
    const header = counted([...Array.from({ length: n }, (_, i) => `c${i}`), 'c7']);
    expect(() => checkColumnNames(header.names, 'x.csv:1')).toThrow(
      `x.csv:1: column "c7" appears twice in the header (columns 8 and ${n + 1}); column names must be unique`,
    );
    expect(header.reads()).toBeLessThanOrEqual(4 * (n + 1));
  });

  it('a 100,000-column header with a repeat is refused by the CLI with that line', async () => {
    const dir = tempDir();
    const path = join(dir, 'wide.csv');
    const names = [...Array.from({ length: 100_000 }, (_, i) => `c${i}`), 'c3'];
    writeFileSync(path, `${names.join(',')}\n${names.map(() => '1').join(',')}\n`);
    const run = await runCli('inspect', ['--dataset', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `inspect: error: ${path}:1: column "c3" appears twice in the header (columns 4 and 100001); column names must be unique\n`,
    );
  });
});

// The ARFF and JSON-records readers (the ones downloads go through, also used for local .arff and
// .json files): what they accept, and one line for what they refuse.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/helpers.js';

const dir = tempDir();
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
async function inspect(path: string, ...args: string[]) {
  const run = await runCli('inspect', ['--dataset', path, '--json', ...args]);
  return { ...run, found: run.code === 0 ? (JSON.parse(run.stdout) as Record<string, unknown>) : undefined };
}

const arffRows = Array.from(
  { length: 12 },
  (_, i) => `${i % 5}.5, '${i % 3 ? 'a b' : "it\\'s"}', ${i % 2 ? 'yes' : '?'}, ${i % 2 ? 'x' : 'y'}`,
);
const arff = `% a comment
@relation 'test data'
@attribute width numeric
@attribute 'kind name' string
@attribute flag {yes,no}
@attribute class {x,y}
@data
${arffRows.join('\n')}
`;

describe('ARFF', () => {
  it('reads numeric, quoted string and nominal attributes, ? as missing, comments', async () => {
    const { found, stderr } = await inspect(file('a.arff', arff));
    expect(stderr).toBe('');
    expect(found).toMatchObject({
      rows: 12,
      label: 'class',
      columns: [
        { name: 'width', type: 'number', missing: 0 },
        { name: 'kind name', type: 'one-hot', categories: ['a b', "it's"] },
        { name: 'flag', type: 'one-hot', missing: 6 },
        { name: 'class', type: 'label' },
      ],
    });
  });

  it('a nominal attribute whose values look like numbers stays text', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i},${i % 2 ? '1' : 'b'},${i % 2}`).join('\n');
    const { found } = await inspect(
      file('n.arff', `@relation n\n@attribute x real\n@attribute c {1,b}\n@attribute y {0,1}\n@data\n${rows}\n`),
    );
    expect(found).toMatchObject({
      columns: [{ type: 'number' }, { type: 'one-hot', categories: ['1', 'b'] }, { type: 'label' }],
    });
  });

  it.each([
    [
      'a sparse row',
      `@relation s\n@attribute a real\n@attribute b {x,y}\n@data\n{0 1, 1 x}\n`,
      ':5: a sparse row ({index value, ...}); sparse ARFF is not supported: write the data dense',
    ],
    [
      'a date attribute',
      `@relation d\n@attribute when date "yyyy-MM-dd"\n@attribute b {x,y}\n@data\n`,
      ':2: attribute "when" is a date; date attributes are not supported (convert them to numbers)',
    ],
    [
      'a row with too few values',
      `@relation r\n@attribute a real\n@attribute b {x,y}\n@data\n1,x\n2\n`,
      ':6: 1 field, but the header has 2 columns',
    ],
    [
      'text in a numeric attribute',
      `@relation t\n@attribute a real\n@attribute b {x,y}\n@data\n1,x\nabc,y\n`,
      ':6: column "a": "abc" is not a number (the column is declared numeric)',
    ],
  ])('%s is refused with one line', async (name, text, message) => {
    const path = file(`${name.replace(/ /g, '-')}.arff`, text);
    const { code, stderr } = await inspect(path);
    expect(code).toBe(2);
    expect(stderr).toContain(`inspect: error: ${path}${message}`);
  });
});

describe('JSON records', () => {
  const records = Array.from({ length: 12 }, (_, i) => ({
    x: i,
    tag: i % 3 ? 'p' : 'q',
    ok: i % 2 === 0,
    y: i % 2 ? 'a' : 'b',
  }));

  it('an array of records: keys are columns, booleans text; a missing key or null is missing', async () => {
    const rows = records.map((r, i) => (i === 3 ? { x: null, tag: r.tag, y: r.y } : r));
    const { found, stderr } = await inspect(file('r.json', JSON.stringify(rows, null, 1)));
    expect(stderr).toBe('');
    expect(found).toMatchObject({
      rows: 12,
      label: 'y',
      columns: [
        { name: 'x', type: 'number', missing: 1 },
        { name: 'tag', type: 'one-hot', categories: ['p', 'q'] },
        { name: 'ok', type: 'one-hot', categories: ['false', 'true'], missing: 1 },
        { name: 'y', type: 'label' },
      ],
    });
  });

  it.each([
    [
      'an object without --records',
      { items: [] },
      [],
      ': the response is an object, not an array of records; name the array inside it with --records <path>',
    ],
    [
      'a nested value',
      [{ a: 1, b: { c: 2 } }],
      [],
      ': record 1: key "b" holds an object; values must be numbers, strings, booleans or null (flatten the records)',
    ],
    [
      'a key not in the first record',
      [
        { a: 1, b: 'x' },
        { a: 2, c: 'y' },
      ],
      [],
      ': record 2: key "c" is not in the first record',
    ],
    [
      'no records at the path',
      { data: {} },
      ['--records', 'data.items'],
      ': no records at "data.items"; an array of objects was expected there',
    ],
    [
      'text in a numeric key',
      [...records, { x: 'many', tag: 'p', ok: true, y: 'a' }],
      [],
      ': record 13: key "x": "many" is not a number (the column is numeric from record 1, "0")',
    ],
  ])('%s is refused with one line', async (name, json, args, message) => {
    const path = file(`${name.replace(/ /g, '-')}.json`, JSON.stringify(json));
    const { code, stderr } = await inspect(path, ...args);
    expect(code).toBe(2);
    expect(stderr).toContain(`inspect: error: ${path}${message}`);
  });
});

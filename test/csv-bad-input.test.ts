import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, train } from './support/helpers.js';

const csv = (name: string) => fixture(`csv/${name}`);
// Messages name the file as the user wrote it; the tests pass absolute paths.
const at = (name: string, line?: number) => `${csv(name)}${line === undefined ? '' : `:${line}`}: `;

describe('bad CSV input: one line naming the file, line and column, exit status 2, no results folder', () => {
  it.each([
    ['a missing file', ['--dataset', csv('no-such.csv')], `${at('no-such.csv')}no such file`],
    ['a directory', ['--dataset', csv('directory.csv')], `${at('directory.csv')}is a folder, not a CSV file`],
    ['an empty file', ['--dataset', csv('empty.csv')], `${at('empty.csv')}the file is empty`],
    [
      'a header with no data rows',
      ['--dataset', csv('header-only.csv')],
      `${at('header-only.csv')}the header has no data rows`,
    ],
    [
      'a row with too few fields',
      ['--dataset', csv('short-row.csv')],
      `${at('short-row.csv', 5)}4 fields, but the header has 5 columns`,
    ],
    [
      'a row with too many fields',
      ['--dataset', csv('long-row.csv')],
      `${at('long-row.csv', 7)}6 fields, but the header has 5 columns`,
    ],
    [
      'a non-numeric value in a numeric column',
      ['--dataset', csv('not-a-number.csv')],
      `${at('not-a-number.csv', 17)}column "petal_width": "abc" is not a number`,
    ],
    [
      'a column mixing numbers and text',
      ['--dataset', csv('mixed-column.csv')],
      `${at('mixed-column.csv', 4)}column "colour": "3" is a number, but the column's first value, "red" on line 2, is text`,
    ],
    [
      'a decimal comma',
      ['--dataset', csv('decimal-comma.csv')],
      `${at('decimal-comma.csv', 2)}column "a": "1,5" has a decimal comma; numbers must use a decimal point (1.5)`,
    ],
    [
      'an empty label',
      ['--dataset', csv('empty-label.csv')],
      `${at('empty-label.csv', 9)}column "species": the label is empty`,
    ],
    [
      'missing values',
      ['--dataset', csv('missing.csv')],
      `${at('missing.csv', 11)}3 missing values (empty, NaN or nan): line 11 column "sepal_width", line 61 column "petal_length", line 62 column "petal_width"; fill them in, or pass --missing drop`,
    ],
    [
      'fewer than two classes',
      ['--dataset', csv('one-class.csv')],
      `${at('one-class.csv')}column "species", the label, holds only one class ("setosa")`,
    ],
    [
      'a class with too few rows for the split',
      ['--dataset', csv('tiny-class.csv')],
      `${at('tiny-class.csv')}class "virginica" has 1 row(s): too few for --test-size 0.2`,
    ],
    [
      'a class with too few rows for the folds',
      ['--dataset', csv('small-class.csv'), '--cv', '5'],
      `${at('small-class.csv')}class "virginica" has 3 training row(s): too few for --cv 5`,
    ],
    [
      'duplicate column names',
      ['--dataset', csv('duplicate-columns.csv')],
      `${at('duplicate-columns.csv', 1)}column "sepal_length" appears twice in the header (columns 1 and 3)`,
    ],
    [
      'a delimiter that leaves one column',
      ['--dataset', csv('one-column.csv')],
      `${at('one-column.csv', 1)}the header is one column, "sepal_length|sepal_width|petal_length|pe…", with comma, semicolon and tab alike; pass --delimiter`,
    ],
    [
      'a given delimiter that leaves one column',
      ['--dataset', csv('iris-semicolon.csv'), '--delimiter', 'tab'],
      `${at('iris-semicolon.csv', 1)}--delimiter tab leaves the header as one column`,
    ],
    [
      'an unknown --label',
      ['--dataset', csv('iris-tab.csv'), '--label', 'species'],
      `--label "species": ${csv('iris-tab.csv')} has no such column; its columns are "sepal_length", "sepal_width", "petal_length", "petal_width", "label"`,
    ],
    [
      'an absurdly long line',
      ['--dataset', csv('long-line.csv')],
      `${at('long-line.csv', 3)}a record longer than 1 MiB starts on this line`,
    ],
    [
      'an unclosed quote',
      ['--dataset', csv('unclosed-quote.csv')],
      `${at('unclosed-quote.csv', 6)}a quote opened in the record starting here is never closed`,
    ],
    ['an unknown data set name', ['--dataset', 'no-such-set'], '--dataset no-such-set: no such data set'],
  ])('%s', async (_, args, message) => {
    const run = await train(args);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^train: error: /);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(readdirSync(run.resultsDir)).toEqual([]);
  });

  it('one bad data set among good ones writes nothing at all', async () => {
    const run = await train(['--dataset', 'iris', '--dataset', csv('short-row.csv'), '--models', 'svm']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${at('short-row.csv', 5)}4 fields`);
    expect(readdirSync(run.resultsDir)).toEqual([]);
  });

  it('inspect refuses the same files with the same messages', async () => {
    const run = await runCli('inspect', ['--dataset', csv('not-a-number.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `inspect: error: ${at('not-a-number.csv', 17)}column "petal_width": "abc" is not a number (the column is numeric from line 2, "0.2")\n`,
    );
  });
});

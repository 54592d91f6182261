// A small CSV whose class and column names hold what breaks naive output: a table's pipe, a line
// break, raw HTML, terminal escape sequences and a 5,000-character name. Classes are far apart, so
// every model trains well on it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LONG_NAME = 'L'.repeat(5000);
export const CLASS_NAMES = [
  'a|b',
  'line\nbreak',
  '<b>bold</b><img src=x onerror=alert(1)>',
  '\x1b[31mred\x1b[0m',
  LONG_NAME,
];
export const COLUMN_NAMES = ['x|1', '<i>y</i>', '\x1b[2Jz'];

const quoted = (field: string) => (/[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);

/** Names of the same length as most data sets have, for a page to compare with. */
export const PLAIN = { classes: ['c0', 'c1', 'c2', 'c3', 'c4'], columns: ['x1', 'y', 'z'] };

/**
 * Writes hostile.csv (12 rows per class) into `dir` and returns its path; with `names`, the same
 * data under those names (plain.csv).
 */
export function writeHostileCsv(dir: string, names = { classes: CLASS_NAMES, columns: COLUMN_NAMES }): string {
  const lines = [[...names.columns, 'species'].map(quoted).join(',')];
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  names.classes.forEach((name, c) => {
    for (let i = 0; i < 12; i++)
      lines.push(
        [(c * 3 + random()).toFixed(3), (c * 5 + random()).toFixed(3), random().toFixed(3), quoted(name)].join(','),
      );
  });
  const file = join(dir, names.classes === CLASS_NAMES ? 'hostile.csv' : 'plain.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

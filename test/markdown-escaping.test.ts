// report.md escapes what comes from data: a pipe in a class or column name does not split a table
// cell, a line break does not end a table row, raw HTML is shown as text (never rendered), and
// terminal escape sequences are written out visibly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, train } from './support/helpers.js';
import { writeHostileCsv } from './support/hostile-names.js';

/** A GFM table row's cells: split on the pipes that are not backslash-escaped. */
const cells = (line: string) =>
  line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/);

describe('report.md with hostile class and column names', () => {
  it('keeps every table whole and renders no HTML', async () => {
    const run = await train(['--dataset', writeHostileCsv(tempDir()), '--models', 'knn,naive-bayes']);
    expect(run.code, run.stderr).toBe(0);
    const md = readFileSync(join(run.resultsDir, run.runs[0]!, 'report.md'), 'utf8');

    // Tables: runs of lines that start with a pipe; each row has as many cells as its header.
    const lines = md.split('\n');
    const tables: string[][] = [];
    lines.forEach((line, i) => {
      if (!line.startsWith('|')) return;
      if (!lines[i - 1]?.startsWith('|')) tables.push([]);
      tables.at(-1)!.push(line);
    });
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const table of tables) {
      const width = cells(table[0]!).length;
      for (const row of table) {
        expect(row.endsWith('|'), row.slice(0, 80)).toBe(true);
        expect(cells(row), row.slice(0, 80)).toHaveLength(width);
      }
    }
    // Per class: its precision/recall table has one row per class, names escaped.
    const perClass = tables.find((t) => t[0]!.startsWith('| class |'))!;
    expect(perClass).toHaveLength(2 + 5);
    expect(md).toContain('| a\\|b |');
    expect(md).toContain('| line break |');
    expect(md).toContain('&lt;b&gt;bold&lt;/b&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(md).toContain('\\x1b\\[31mred\\x1b\\[0m');

    // Nothing a Markdown renderer would take for HTML, and no control character but line ends.
    expect(md).not.toMatch(/</);
    expect(md).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  });
});

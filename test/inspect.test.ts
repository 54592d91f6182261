import { describe, expect, it } from 'vitest';
import type { Inspection } from '../src/data/inspection.js';
import { fixture, runCli } from './support/helpers.js';

describe('npm run inspect', () => {
  it('prints shape, column types, class counts and missing cells without training', async () => {
    const run = await runCli('inspect', ['--dataset', fixture('csv/categorical.csv')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain(
      `${fixture('csv/categorical.csv')}: 90 rows, 3 feature columns + label "size", 3 classes; 5 features after one-hot encoding`,
    );
    expect(out).toContain('delimiter: comma');
    expect(out).toMatch(/^x\s+number\s+0\s+-?[\d.]+\s+[\d.]+$/m);
    expect(out).toMatch(/^colour\s+text, one-hot: 3 values \(blue, green, red\)\s+0$/m);
    expect(out).toMatch(/^size\s+label\s+0$/m);
    expect(out).toMatch(/^large\s+30$/m);
    expect(out).toContain('missing cells: none');
  });

  it('lists missing cells instead of refusing them, and says what train would do', async () => {
    const run = await runCli('inspect', ['--dataset', fixture('csv/missing.csv'), '--json']);
    expect(run.code).toBe(0);
    const found = JSON.parse(run.stdout) as Inspection;
    expect(found.rows).toBe(139);
    expect(found.missing).toEqual({
      cells: 3,
      rows: 3,
      first: [
        { line: 11, column: 'sepal_width' },
        { line: 61, column: 'petal_length' },
        { line: 62, column: 'petal_width' },
      ],
    });
    expect(found.columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ['sepal_length', 'number', 0],
      ['sepal_width', 'number', 1],
      ['petal_length', 'number', 1],
      ['petal_width', 'number', 1],
      ['species', 'label', 0],
    ]);
    expect(found.problems).toEqual([
      '3 missing cells in 3 rows: train stops on them unless --missing drop, which drops those rows',
    ]);
    const text = await runCli('inspect', ['--dataset', fixture('csv/missing.csv')]);
    expect(text.stdout).toContain(
      'missing cells: 3 in 3 rows: line 11 "sepal_width", line 61 "petal_length", line 62 "petal_width"',
    );
  });

  it('inspects several data sets, the built-in one included', async () => {
    const run = await runCli('inspect', ['--dataset', 'iris', '--dataset', fixture('csv/wine.csv'), '--json']);
    expect(run.code).toBe(0);
    const found = JSON.parse(run.stdout) as Inspection[];
    expect(found.map((f) => [f.name, f.rows, f.features, f.classes.length])).toEqual([
      ['iris', 150, 4, 3],
      ['wine', 178, 13, 3],
    ]);
    expect(found[1]!.classes).toEqual([
      { name: 'class_0', rows: 59 },
      { name: 'class_1', rows: 71 },
      { name: 'class_2', rows: 48 },
    ]);
  });

  it('--help explains the command and exits 0', async () => {
    const run = await runCli('inspect', ['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--dataset', '--label', '--delimiter', '--json']) expect(run.stdout).toContain(flag);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/data/csv.js';
import { fixture, train } from './support/helpers.js';

describe('categorical features and missing values', () => {
  it('one-hot encodes a text column in its place, says so in the report, and trains on it', async () => {
    const run = await train(['--dataset', fixture('csv/categorical.csv')]);
    expect(run.code).toBe(0);
    const { dataset } = run.report!;
    expect(dataset.encoding).toEqual({
      label: 'size',
      columns: [
        { name: 'x', type: 'number' },
        { name: 'colour', type: 'one-hot', categories: ['blue', 'green', 'red'] },
        { name: 'y', type: 'number' },
      ],
    });
    expect(dataset.featureNames).toEqual(['x', 'colour=blue', 'colour=green', 'colour=red', 'y']);
    expect(dataset.classes).toEqual(['large', 'medium', 'small']);
    expect(dataset.features).toBe(5);
    expect(readFileSync(join(run.resultsDir, run.runs[0]!, 'report.md'), 'utf8')).toContain(
      '- one-hot encoded text columns: colour (3 values)',
    );

    // The first row, x,colour,y,size = -0.218,green,0.060,small, becomes x, blue, green, red, y.
    const table = await readCsv(fixture('csv/categorical.csv'), 'categorical.csv', 'categorical', { missing: 'error' });
    expect(Array.from(table.dataset.features.subarray(0, 5))).toEqual([-0.218, 0, 1, 0, 0.06]);
    expect(table.dataset.classNames[table.dataset.labels[0]!]).toBe('small');
  });

  it('--missing drop drops the rows with a missing cell and the report counts them', async () => {
    const run = await train(['--dataset', fixture('csv/missing.csv'), '--missing', 'drop', '--models', 'svm']);
    expect(run.code).toBe(0);
    expect(run.report!.dataset).toMatchObject({ rows: 136, droppedRows: 3 });
    expect(readFileSync(join(run.resultsDir, run.runs[0]!, 'report.md'), 'utf8')).toContain(
      '- rows dropped for missing values: 3',
    );
    const table = await readCsv(fixture('csv/missing.csv'), 'missing.csv', 'missing', { missing: 'drop' });
    expect(table.dataset.rows).toBe(136);
    expect(table.dataset.features.some((v) => Number.isNaN(v))).toBe(false);
    // Line 12 of the file (row 10) follows the dropped line 11.
    expect(Array.from(table.dataset.features.subarray(9 * 4, 10 * 4))).toEqual([5.4, 3.7, 1.5, 0.2]);
  });

  it('without --missing drop the report has no droppedRows', async () => {
    const run = await train(['--dataset', fixture('csv/categorical.csv'), '--models', 'svm']);
    expect(run.report!.dataset.droppedRows).toBeUndefined();
  });

  it('labels may be numbers: class names kept, in numeric order', async () => {
    const table = await readCsv(fixture('csv/digits.csv'), 'digits.csv', 'digits', { missing: 'error' });
    expect(table.dataset.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(table.dataset.cols).toBe(64);
  });
});

// Explicit CV folds must be non-empty, disjoint and together cover the training part: folds that
// miss rows, or hold none, would report a CV score of rows nobody held out (or of nothing).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, train } from './support/helpers.js';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('--folds-file with degenerate folds is refused', () => {
  it.each([
    ['empty folds', [[], []], 'testFolds[0] is empty; every fold needs at least one row'],
    ['one empty fold', [range(0, 150), []], 'testFolds[1] is empty; every fold needs at least one row'],
    [
      'folds covering 6 of the 150 training rows',
      [
        [0, 1, 2],
        [50, 51, 52],
      ],
      'the folds hold 6 of the 150 training rows (row 3 is in none); together they must cover the training part',
    ],
    ['overlapping folds', [range(0, 100), range(99, 150)], 'row 99 is in more than one fold'],
  ])('%s', async (_name, testFolds, message) => {
    const file = join(tempDir(), 'folds.json');
    writeFileSync(file, JSON.stringify({ testFolds }));
    const run = await train(['--test-size', '0', '--folds-file', file, '--models', 'knn']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([`train: error: --folds-file ${file}: ${message}`]);
    expect(run.runs).toEqual([]);
  });
});

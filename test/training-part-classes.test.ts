// Every training part, the split's and each CV fold's, must hold at least two classes: a model
// fitted on one class has learnt nothing, and its perfect-looking scores would mean nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, train } from './support/helpers.js';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('a training part with a single class is refused', () => {
  it('the split file trains on setosa only', async () => {
    const file = join(tempDir(), 'split.json');
    writeFileSync(file, JSON.stringify({ train: range(0, 50), test: range(50, 150) }));
    const run = await train(['--split-file', file, '--models', 'knn']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `train: error: --split-file ${file}: the training part holds one class ("setosa", 50 rows); a model needs at least two classes to learn from`,
    ]);
    expect(run.runs).toEqual([]);
  });

  it("a fold's training part is setosa only", async () => {
    const file = join(tempDir(), 'folds.json');
    // Fold 1 holds out every row but setosa's: what is left to train on is one class.
    writeFileSync(file, JSON.stringify({ testFolds: [range(0, 50), range(50, 150)] }));
    const run = await train(['--test-size', '0', '--folds-file', file, '--models', 'knn']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `train: error: --folds-file ${file}: the training part of testFolds[1] holds one class ("setosa", 50 rows); a model needs at least two classes to learn from`,
    ]);
    expect(run.runs).toEqual([]);
  });
});

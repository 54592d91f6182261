// Input files must be regular files, checked before they are opened: opening a FIFO for reading
// waits for a writer, so a FIFO given as input would hang the command forever.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir, train } from './support/helpers.js';

const dir = tempDir();
const fifo = join(dir, 'pipe.csv');
execFileSync('mkfifo', [fifo]);

describe('a FIFO given as an input file is refused at once, never waited on', () => {
  it.each([
    ['train --dataset', ['--dataset', fifo], `train: error: ${fifo}: not a regular file (a FIFO); give a file`],
    [
      'train --split-file',
      ['--split-file', fifo],
      `train: error: --split-file ${fifo}: not a regular file (a FIFO); give a file`,
    ],
    [
      'train --folds-file',
      ['--folds-file', fifo],
      `train: error: --folds-file ${fifo}: not a regular file (a FIFO); give a file`,
    ],
  ])('%s', async (_, args, message) => {
    const run = await train(args);
    expect(run.stderr).toBe(`${message}\n`);
    expect(run.code).toBe(2);
    expect(run.runs).toEqual([]);
  });

  it('inspect --dataset', async () => {
    const run = await runCli('inspect', ['--dataset', fifo]);
    expect(run.stderr).toBe(`inspect: error: ${fifo}: not a regular file (a FIFO); give a file\n`);
    expect(run.code).toBe(2);
  });

  it('predict --input', async () => {
    const trained = await train(['--models', 'knn']);
    expect(trained.code).toBe(0);
    const run = await runCli('predict', [
      '--results-dir',
      trained.resultsDir,
      '--run',
      'latest',
      '--model',
      'knn',
      '--input',
      fifo,
    ]);
    expect(run.stderr).toBe(`predict: error: ${fifo}: not a regular file (a FIFO); give a file\n`);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('a regular file still reads', async () => {
    const run = await runCli('inspect', ['--dataset', fixture('csv/categorical.csv')]);
    expect(run.code).toBe(0);
  });
});

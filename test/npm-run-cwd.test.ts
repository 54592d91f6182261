// Paths given to `npm run <command>` are the user's: relative to the folder they typed the command
// in (INIT_CWD), not to the package folder npm runs scripts from.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tempDir } from './support/helpers.js';

function npmRun(cwd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('npm', ['run', '-s', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run from a subfolder', () => {
  it('cd datasets && npm run inspect -- --dataset ./iris.csv reads datasets/iris.csv', async () => {
    const run = await npmRun(join(root, 'datasets'), ['inspect', '--', '--dataset', './iris.csv']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^iris\.csv: 150 rows, 4 feature columns/);
  });

  it('cd test && npm run train -- --split-file fixtures/... resolves the flag there', async () => {
    const resultsDir = tempDir();
    const run = await npmRun(join(root, 'test'), [
      'train',
      '--',
      '--split-file',
      'fixtures/iris_split_42.json',
      '--models',
      'knn',
      '--results-dir',
      resultsDir,
      '--quiet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readdirSync(resultsDir).filter((n) => !n.startsWith('.'))).toHaveLength(1);
  });
});

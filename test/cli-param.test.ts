// --param model.key=value: the value (JSON, or a bare word as a string) replaces the default,
// shows in report.json and leaves the grid; a bad key or value is one line naming the known keys
// and their types, exit 2, nothing written. After --tune the console names the params that won.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, train } from './support/helpers.js';

describe('--param', () => {
  it('sets a parameter: report.json records it, and a value that is not JSON is a string', async () => {
    const run = await train([
      '--models',
      'svm,knn',
      '--param',
      'svm.C=10',
      '--param',
      'svm.gamma=auto',
      '--param',
      'knn.nNeighbors=7',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const byId = Object.fromEntries(run.report!.models.map((m) => [m.id, m.params]));
    expect(byId['svm']).toMatchObject({ C: 10, gamma: 'auto' });
    expect(byId['knn']).toMatchObject({ nNeighbors: 7, weights: 'uniform' });
  });

  it.each([
    [
      'an unknown key',
      ['--param', 'svm.c=10'],
      /^train: error: --param svm\.c=10: svm has no parameter "c"; its params: C \(number > 0\), gamma \('scale' \| 'auto' \| number > 0\), .*maxIter \(integer > 0 or null\)\n$/,
    ],
    [
      'a value of the wrong type',
      ['--param', 'svm.C=-1'],
      /^train: error: --param svm\.C=-1: svm's C must be number > 0, not -1; its params: C \(number > 0\), /,
    ],
    [
      'a string where a number or null goes',
      ['--models', 'svm', '--param', 'svm.maxIter=lots'],
      /^train: error: --param svm\.maxIter=lots: svm's maxIter must be integer > 0 or null, not "lots"; /,
    ],
    [
      'an unknown model',
      ['--param', 'forest.depth=3'],
      /^train: error: --param forest\.depth=3: unknown model id "forest"; known ids: /,
    ],
    [
      'no key',
      ['--param', 'svm=3'],
      /^train: error: .*--param "svm=3": write model\.key=value, e\.g\. --param svm\.C=10/,
    ],
    [
      'a model this run does not train',
      ['--models', 'knn', '--param', 'svm.C=10'],
      /^train: error: --param svm\.C=10: svm is not trained in this run; add it to --models\n$/,
    ],
  ])('%s is a one-line usage error, exit 2, nothing written', async (_what, args, message) => {
    const dir = tempDir();
    const run = await runCli('train', ['--results-dir', dir, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a parameter set by --param is not tuned; --tune prints the params that won for the others', async () => {
    const dir = tempDir();
    const run = await runCli('train', [
      '--results-dir',
      dir,
      '--models',
      'svm,knn',
      '--tune',
      '--cv',
      '3',
      '--param',
      'svm.C=10',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^tuned params \(the grid values --tune chose\):$/m);
    // svm's grid is C x gamma: with C fixed only gamma is tuned.
    expect(run.stdout).toMatch(/^ {2}svm\s+gamma=("scale"|0\.01|0\.1)$/m);
    expect(run.stdout).toMatch(/^ {2}knn\s+nNeighbors=\d+ weights="(uniform|distance)"$/m);
    const { report } = await train(['--models', 'svm', '--tune', '--cv', '3', '--param', 'svm.C=10']);
    const svm = report!.models[0]!;
    expect(svm.params['C']).toBe(10);
    expect(svm.tuning!.candidates.map((c) => c.params['C'])).toEqual([10, 10, 10]);
  });
});

// predict finds its run the way compare does: a run id, its unique start, `latest`, the run
// folder or its report.json all name the same run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, train } from './support/helpers.js';

describe('predict --run', () => {
  it('takes every run reference compare takes, with the same answer', async () => {
    const run = await train(['--models', 'svm']);
    const { runId } = run.report!;
    const input = join(tempDir(), 'flowers.csv');
    writeFileSync(input, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.2,3.0,5.4,2.3\n');
    const predict = (ref: string) =>
      runCli('predict', ['--results-dir', run.resultsDir, '--run', ref, '--model', 'svm', '--input', input]);
    const folder = join(run.resultsDir, runId);
    for (const ref of [runId, runId.slice(0, 22), 'latest', folder, join(folder, 'report.json')]) {
      const predicted = await predict(ref);
      expect(predicted.stderr, ref).toBe('');
      expect(predicted.stdout, ref).toBe('label\nsetosa\nvirginica\n');
    }
    const compared = await runCli('compare', [
      '--results-dir',
      run.resultsDir,
      '--no-html',
      runId.slice(0, 22),
      folder,
    ]);
    expect(compared.code).toBe(0);
  });
});

// `train --from <run>` repeats a run from the settings its report recorded: the same metrics,
// exactly; refused in one line when the data is no longer the run's.
import { copyFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/results/schema.js';
import type { ModelReport, Report } from '../src/results/report.js';
import { fixture, runCli, tempDir } from './support/helpers.js';

const reportsIn = (dir: string): Report[] =>
  readdirSync(dir)
    .filter((n) => !n.startsWith('.') && !n.endsWith('.html'))
    .sort()
    .map((n) => parseReport(readFileSync(join(dir, n, 'report.json'), 'utf8')));

/** A model's row without what is measured rather than computed (times). */
function computed(m: ModelReport) {
  const { cv, tuning, ...rest } = m as ModelReport & { timings?: unknown };
  delete (rest as { timings?: unknown }).timings;
  const { fitMs: _fitMs, ...scores } = cv ?? ({} as Record<string, unknown>);
  return {
    ...rest,
    cv: scores,
    tuning: tuning && {
      ...tuning,
      candidates: tuning.candidates.map((c) => ({ ...c, cv: c.cv && { ...c.cv, fitMs: null } })),
    },
  };
}

describe('train --from <run>', () => {
  it("reproduces the run's metrics exactly, from its recorded settings", async () => {
    const dir = tempDir();
    const data = join(dir, 'wine.csv');
    copyFileSync(fixture('csv/wine.csv'), data);
    const resultsDir = join(dir, 'results');
    const first = await runCli('train', [
      ...['--dataset', data, '--models', 'knn,logistic-regression,decision-tree,majority'],
      ...['--model-module', fixture('models/majority.ts'), '--seed', '7', '--test-size', '0.3'],
      ...['--cv', '3', '--tune', '--preprocess', 'standardize', '--results-dir', resultsDir, '--quiet'],
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const [a] = reportsIn(resultsDir);
    expect(a!.settings).toMatchObject({
      dataset: { path: data, missing: 'error' },
      models: ['knn', 'logistic-regression', 'decision-tree', 'majority'],
      modelModule: [fixture('models/majority.ts')],
      seed: 7,
      testSize: 0.3,
      cv: 3,
      tune: true,
      preprocess: 'standardize',
    });

    // From elsewhere, with another thread count: neither changes a report.
    const again = await runCli('train', [
      '--from',
      a!.runId.slice(0, 22),
      '--threads',
      '1',
      '--results-dir',
      resultsDir,
      '--quiet',
    ]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const [, b] = reportsIn(resultsDir);
    expect(b!.runId).not.toBe(a!.runId);
    expect(b!.dataset).toEqual(a!.dataset);
    expect(b!.split).toEqual(a!.split);
    expect(b!.cv).toEqual(a!.cv);
    expect(b!.models.map(computed)).toEqual(a!.models.map(computed));
    expect(b!.settings).toEqual({ ...a!.settings, threads: 1 });
  });

  it("is refused in one line when the data's sha256 is no longer the run's", async () => {
    const dir = tempDir();
    const data = join(dir, 'iris.csv');
    copyFileSync(fixture('csv/iris-names.csv'), data);
    const resultsDir = join(dir, 'results');
    const first = await runCli('train', ['--dataset', data, '--models', 'knn', '--results-dir', resultsDir, '--quiet']);
    expect(first.code).toBe(0);
    const [a] = reportsIn(resultsDir);
    const lines = readFileSync(data, 'utf8').split('\n');
    lines[1] = lines[1]!.replace(/^[0-9.]+/, '9.9');
    writeFileSync(data, lines.join('\n'));
    const again = await runCli('train', ['--from', a!.runId, '--results-dir', resultsDir]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(
      new RegExp(
        `^train: error: --from ${a!.runId}: the data is no longer the run's: .*iris\\.csv has sha256 [0-9a-f]{12}…, the run's was ${a!.dataset.sha256.slice(0, 12)}…`,
      ),
    );
    expect(reportsIn(resultsDir)).toHaveLength(1);
  });

  it('is refused in one line for a report that recorded no settings', async () => {
    const resultsDir = tempDir();
    cpSync(fixture('reports/v1'), resultsDir, { recursive: true });
    const run = await runCli('train', ['--from', '20261201-225125-iris-59cce5', '--results-dir', resultsDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'train: error: --from 20261201-225125-iris-59cce5: run 20261201-225125-iris-59cce5 recorded no settings (its report is of a version before they were); repeat it with its flags\n',
    );
  });
});

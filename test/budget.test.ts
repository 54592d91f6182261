// --budget 10s on a run of about a minute (quick models, then nap-short's 1 s fits and nap-long's
// 15 s ones on two threads): no task starts after 10 s, those running are stopped at 10 s plus the
// 5 s grace, and the run ends soon after (the margin is generous: the machine may be loaded). The
// models that finished are exactly those of a run without a budget; the rest are not run, of kind
// 'budget', and the leaderboard shows what finished.
import { describe, expect, it } from 'vitest';
import { outcome } from './support/cluster.js';
import { fixture, runCli, tempDir, train } from './support/helpers.js';
import { listResults } from './support/processes.js';

const models = ['--model-module', fixture('models/naps.mjs'), '--cv', '5', '--threads', '2'];

describe('--budget', () => {
  it('stops a minute-long run within the budget plus its grace; what finished equals the full run', async () => {
    const started = performance.now();
    const cut = await train([
      ...models,
      '--models',
      'knn,naive-bayes,decision-tree,nap-short,nap-long',
      '--budget',
      '10s',
    ]);
    const seconds = (performance.now() - started) / 1000;
    expect(cut.stderr).toBe('');
    expect(cut.code).toBe(0);
    // Process start and report writing included; nap-long's running fits alone end at 15 s.
    expect(seconds).toBeGreaterThanOrEqual(10);
    expect(seconds).toBeLessThan(10 + 5 + 25);
    const report = cut.report!;
    expect(report.budget).toEqual({ seconds: 10, graceSeconds: 5, ranOut: true });
    const long = report.models.find((m) => m.id === 'nap-long')!;
    expect(long).toMatchObject({ status: 'not-run', reason: { kind: 'budget' } });
    const finished = report.models.filter((m) => m.status === 'ok').map((m) => m.id);
    expect(finished.length).toBeGreaterThan(0);
    for (const m of report.models)
      if (m.status !== 'ok') expect(m, m.id).toMatchObject({ status: 'not-run', reason: { kind: 'budget' } });

    const full = await train([...models, '--models', finished.join(',')]);
    expect(full.code).toBe(0);
    expect(outcome({ ...report, models: report.models.filter((m) => m.status === 'ok') })).toEqual(
      outcome(full.report),
    );
  }, 300_000);

  it('the leaderboard lists what finished and the rest as not run, with how to go on', async () => {
    const resultsDir = tempDir();
    const cut = await runCli('train', [
      '--results-dir',
      resultsDir,
      ...models,
      '--models',
      'knn,nap-long',
      '--budget',
      '5s',
      '--budget-grace',
      '0',
    ]);
    expect(cut.code).toBe(0);
    const [runId] = listResults(resultsDir).runs;
    expect(cut.stdout).toMatch(/^1 +knn .*$/m);
    expect(cut.stdout).toMatch(/^- +nap-long +not run: the time budget of 5 s \(--budget\)/m);
    // Named as it was started: scripts/run.mjs outside npm is the `trainpool` bin.
    expect(cut.stdout).toContain(
      `budget: 1 model not run in 5 s; \`trainpool train --resume ${runId}\` trains the rest`,
    );
  }, 300_000);
});

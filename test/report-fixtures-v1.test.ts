// Reports written by trainpool 0.1.0 (schema 1, committed as fixtures) stay readable: compare,
// history and predict read them through the upgrade, with nothing invented for what they did not
// record.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/results/schema.js';
import { SCHEMA_VERSION } from '../src/results/report.js';
import { fixture, runCli, tempDir } from './support/helpers.js';

const V1 = fixture('reports/v1');
const DEFAULT = '20261201-225125-iris-59cce5';
const INTERRUPTED = '20261201-225126-iris-306d39';
const TUNED_WINE = '20261201-225125-wine-edd3e0';

describe('reports of schema version 1', () => {
  it('parse into the current schema: a stopped model becomes not-run, nothing is made up', () => {
    const interrupted = parseReport(readFileSync(join(V1, INTERRUPTED, 'report.json'), 'utf8'));
    expect(interrupted.schemaVersion).toBe(SCHEMA_VERSION);
    expect(interrupted.models.map((m) => [m.id, m.status])).toEqual([
      ['knn', 'ok'],
      ['fault-slow', 'not-run'],
    ]);
    expect(interrupted.models[1]).toMatchObject({
      reason: { kind: 'aborted', message: 'the run was interrupted (SIGINT)' },
    });
    // Version 1 did not record which library trained a model: absent, not guessed.
    expect(interrupted.models[0]!.library).toBeUndefined();
    // Nor the metrics, probabilities, labels and sort added since: absent, never computed afterwards.
    const knn = interrupted.models[0]!;
    if (knn.status !== 'ok') throw new Error('knn trained in this fixture');
    for (const id of ['rocAuc', 'logLoss', 'kappa', 'mcc', 'weightedF1'] as const)
      expect(knn.metrics![id]).toBeUndefined();
    expect(knn.probabilities).toBeUndefined();
    expect(knn.outOfFold).toBeUndefined();
    expect(interrupted.dataset.labels).toBeUndefined();
    expect(interrupted.sortBy).toBeUndefined();
    const tuned = parseReport(readFileSync(join(V1, TUNED_WINE, 'report.json'), 'utf8'));
    expect(tuned.models.map((m) => m.status)).toEqual(['ok', 'ok', 'failed']);
    expect(tuned.models[0]!.tuning!.candidates.length).toBeGreaterThan(1);
  });

  it('compare reads an old run against a new one, and history lists both', async () => {
    const dir = tempDir();
    cpSync(join(V1, DEFAULT), join(dir, DEFAULT), { recursive: true });
    cpSync(join(V1, INTERRUPTED), join(dir, INTERRUPTED), { recursive: true });
    const fresh = await runCli('train', ['--results-dir', dir, '--quiet']);
    expect(fresh.code).toBe(0);
    const compared = await runCli('compare', ['--results-dir', dir, '--no-html', DEFAULT, 'latest']);
    expect(compared.stderr).toBe('');
    expect(compared.code).toBe(0);
    expect(compared.stdout).toContain(`A  ${DEFAULT}`);
    expect(compared.stdout).toMatch(/svm\s+0\.967 → 0\.967/);
    // The metrics the old run did not record read n/a, not 0; its test predictions are paired
    // with the new run's on the same rows (McNemar's p).
    expect(compared.stdout).toMatch(/^svm\s+0\.967 → 0\.967\s+0\.0\s+n\/a\s+n\/a\s+n\/a\s+1\.00\s/m);
    const history = await runCli('history', ['--results-dir', dir, '--no-html']);
    expect(history.stderr).toBe('');
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/^iris: 3 runs/m);
    // The interrupted run's stopped model reads "not run", not "failed".
    expect(history.stdout.split('\n').find((l) => l.includes(INTERRUPTED))).toMatch(/not run/);
  });

  it("predict applies an old run's saved model", async () => {
    const dir = tempDir();
    cpSync(join(V1, DEFAULT), join(dir, DEFAULT), { recursive: true });
    const report = parseReport(readFileSync(join(dir, DEFAULT, 'report.json'), 'utf8'));
    const input = join(tempDir(), 'flowers.csv');
    writeFileSync(input, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.2,3.0,5.4,2.3\n');
    for (const id of report.models.map((m) => m.id)) {
      const predicted = await runCli('predict', [
        '--results-dir',
        dir,
        '--run',
        DEFAULT,
        '--model',
        id,
        '--input',
        input,
      ]);
      expect(predicted.stderr, id).toBe('');
      expect(predicted.stdout, id).toBe('label\nsetosa\nvirginica\n');
    }
  });
});

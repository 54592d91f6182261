// compare's paired tests on constructed runs: a copy of a real run in which one model loses a
// test row, or many, or some CV accuracy. --fail-on-regression alone counts any drop beyond its
// threshold; with --significance only one its paired test finds significant: McNemar's exact test
// on the test rows, the Nadeau-Bengio corrected resampled t-test on shared CV folds.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../src/ml/metrics.js';
import { summarize } from '../src/ml/stats.js';
import type { OkModelReport, Report } from '../src/results/report.js';
import { parseReport } from '../src/results/schema.js';
import { runCli, tempDir } from './support/helpers.js';

function writeRun(dir: string, report: Report): void {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  parseReport(text);
  mkdirSync(join(dir, report.runId), { recursive: true });
  writeFileSync(join(dir, report.runId, 'report.json'), text);
}

async function realRun(args: string[]): Promise<{ dir: string; report: Report }> {
  const dir = tempDir();
  const run = await runCli('train', ['--results-dir', dir, '--quiet', '--models', 'logistic-regression,knn', ...args]);
  expect(run.code, run.stderr).toBe(0);
  const id = readdirSync(dir).find((n) => !n.startsWith('.'))!;
  return { dir, report: parseReport(readFileSync(join(dir, id, 'report.json'), 'utf8')) };
}

/** A copy of `report` as a later run, with `change` applied to one model. */
function variant(report: Report, runId: string, id: string, change: (m: OkModelReport, r: Report) => void): Report {
  const copy = structuredClone(report);
  copy.runId = runId;
  copy.createdAt = new Date(Date.parse(report.createdAt) + 60_000).toISOString();
  change(copy.models.find((m) => m.id === id) as OkModelReport, copy);
  return copy;
}

/** Makes `rows` of the model's right test predictions wrong, and its test metrics follow. */
const loseRows = (rows: number) => (m: OkModelReport, r: Report) => {
  const labels = r.dataset.labels!;
  const truth = r.split.test.map((row) => labels[row]!);
  const k = r.dataset.classes.length;
  let left = rows;
  m.predictions = m.predictions.map((p, i) => {
    if (left === 0 || p !== truth[i]) return p;
    left--;
    return (p + 1) % k;
  });
  expect(left).toBe(0);
  m.metrics = computeMetrics(truth, m.predictions, r.dataset.classes);
};

const compare = (dir: string, a: Report, b: Report, ...flags: string[]) =>
  runCli('compare', ['--results-dir', dir, '--no-html', a.runId, b.runId, ...flags]);

describe('compare: is B really worse?', () => {
  let withTest: { dir: string; report: Report };
  let cvOnly: { dir: string; report: Report };
  beforeAll(async () => {
    [withTest, cvOnly] = await Promise.all([realRun(['--cv', '5']), realRun(['--cv', '5', '--test-size', '0'])]);
  });

  it('prints a p-value per model: McNemar on the test rows and the corrected t-test on the shared folds', async () => {
    const { dir, report } = withTest;
    const b = variant(report, 'b-same', 'knn', () => {});
    writeRun(dir, b);
    const run = await compare(dir, report, b);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/p \(CV\)\s+p \(test\)/);
    for (const id of ['logistic-regression', 'knn'])
      expect(run.stdout).toMatch(new RegExp(`^${id}\\s.*\\s1\\.00\\s+1\\.00\\s`, 'm'));
  });

  it('one test row lost (3.3 points of 30): a regression by the threshold alone, not a significant one', async () => {
    const { dir, report } = withTest;
    const b = variant(report, 'b-one-row', 'knn', loseRows(1));
    writeRun(dir, b);
    const plain = await compare(dir, report, b, '--fail-on-regression', '1');
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/^knn\s.*regression \(test accuracy\)/m);
    const tested = await compare(dir, report, b, '--fail-on-regression', '1', '--significance', '0.05');
    expect(tested.stderr).toBe('');
    expect(tested.code).toBe(0);
    // McNemar with 1 discordant row: p = 2 x 0.5 = 1.
    expect(tested.stdout).toMatch(/^knn\s.*drop not significant \(p 1\.00 ≥ 0\.05\)/m);
    expect(tested.stdout).toContain('--fail-on-regression 1: passing');
  });

  it('eight test rows lost: significant (McNemar p = 2 x 0.5^8 = 0.0078), exit 1', async () => {
    const { dir, report } = withTest;
    const b = variant(report, 'b-eight-rows', 'knn', loseRows(8));
    writeRun(dir, b);
    const run = await compare(dir, report, b, '--fail-on-regression', '1', '--significance', '0.05');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^knn\s.*regression \(test accuracy\)/m);
    expect(run.stdout).toMatch(/knn -26\.7 pts \(p 0\.008\)/);
    expect(run.stdout).toContain('--fail-on-regression 1: failing (knn)');
  });

  it('without a test part, the CV folds decide: a row of one fold is noise, a drop on every fold is not', async () => {
    const { dir, report } = cvOnly;
    const shift = (drops: number[]) => (m: OkModelReport) => {
      m.cv!.accuracy = summarize(m.cv!.accuracy.folds.map((v, f) => v - drops[f]!));
    };
    const noise = variant(report, 'b-noise', 'knn', shift([1 / 24, 0, 0, 0, 0]));
    const real = variant(report, 'b-real', 'knn', shift([0.1, 0.125, 0.0833, 0.125, 0.1]));
    writeRun(dir, noise);
    writeRun(dir, real);
    const a = await compare(dir, report, noise, '--fail-on-regression', '0.5', '--significance', '0.05');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^knn\s.*drop not significant/m);
    const b = await compare(dir, report, real, '--fail-on-regression', '0.5', '--significance', '0.05');
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/^knn\s.*regression \(CV accuracy\)/m);
  });

  it('--significance must be a level between 0 and 1', async () => {
    const run = await runCli('compare', ['--results-dir', withTest.dir, '--significance', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^compare: error: .*--significance must be a level between 0 and 1, such as 0\.05, not "5"\.\n$/,
    );
  });
});

// Every metric of every model, on the test part and on each CV fold, equals scikit-learn's value
// computed live (Debian's python3-sklearn, /usr/bin/python3) from the run's own predictions and
// probabilities as report.json keeps them: on scikit-learn's own folds of iris, and on a
// two-class data set (breast cancer) with a test part and 5-fold CV.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { METRICS, type MetricId } from '../src/ml/metrics.js';
import { builtinModels } from '../src/models/index.js';
import { decodeProbabilities, type EncodedProbabilities, type Report } from '../src/results/report.js';
import { fixture, root, train } from './support/helpers.js';

const PYTHON = '/usr/bin/python3';
const ALL = builtinModels.map((m) => m.id).join(',');

interface Case {
  /** What the case is, for failure messages. */
  what: string;
  y: number[];
  p: number[];
  P: number[][] | null;
  k: number;
  /** The run's value of each metric for these rows. */
  ours: Record<MetricId, number | null | undefined>;
}

type Scores = Record<MetricId, number | null>;

function sklearn(cases: readonly Case[]): Promise<Scores[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      [`${root}/test/support/sklearn_metrics.py`],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as Scores[]),
    );
    child.stdin!.end(JSON.stringify(cases.map(({ y, p, P, k }) => ({ y, p, P, k }))));
  });
}

const rowsOf = (encoded: EncodedProbabilities | null | undefined, k: number): number[][] | null => {
  if (!encoded) return null;
  const flat = decodeProbabilities(encoded);
  return Array.from({ length: flat.length / k }, (_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
};

/** The test part and every CV fold of every model of a report, as cases. */
function casesOf(report: Report): Case[] {
  const labels = report.dataset.labels!;
  const k = report.dataset.classes.length;
  const cases: Case[] = [];
  for (const m of report.models) {
    if (m.status !== 'ok') throw new Error(`${m.id} did not train: ${JSON.stringify(m)}`);
    if (m.metrics)
      cases.push({
        what: `${m.id}, test part`,
        y: report.split.test.map((r) => labels[r]!),
        p: m.predictions,
        P: rowsOf(m.probabilities, k),
        k,
        ours: Object.fromEntries(METRICS.map(({ id }) => [id, m.metrics![id]])) as Case['ours'],
      });
    if (m.cv) {
      const oof = m.outOfFold!;
      report.cv!.testFolds.forEach((fold, f) => {
        cases.push({
          what: `${m.id}, CV fold ${f + 1}`,
          y: fold.map((r) => labels[r]!),
          p: oof.predictions[f]!,
          P: oof.probabilities ? rowsOf(oof.probabilities[f], k) : null,
          k,
          ours: Object.fromEntries(
            METRICS.map(({ id }) => {
              const summary = m.cv![id];
              return [id, summary === null ? null : summary.folds[f]];
            }),
          ) as Case['ours'],
        });
      });
    }
  }
  return cases;
}

async function expectSklearnAgrees(report: Report) {
  const cases = casesOf(report);
  const theirs = await sklearn(cases);
  let compared = 0;
  cases.forEach((c, i) => {
    for (const { id } of METRICS) {
      const ours = c.ours[id];
      const expected = theirs[i]![id];
      // A CV summary is null when any fold has none: this fold may still have one.
      if (ours === null && c.what.includes('CV fold')) continue;
      if (expected === null) {
        expect(ours, `${c.what}: ${id} (scikit-learn: undefined)`).toBeNull();
        continue;
      }
      expect(ours, `${c.what}: ${id}`).not.toBeNull();
      expect(
        Math.abs((ours as number) - expected),
        `${c.what}: ${id} ${ours} vs scikit-learn ${expected}`,
      ).toBeLessThan(1e-9);
      compared++;
    }
  });
  return { cases: cases.length, compared };
}

describe('every metric equals scikit-learn on the run’s own predictions and probabilities', () => {
  it("iris on scikit-learn's StratifiedKFold(5, shuffle=True, random_state=42) folds, every model", async () => {
    const run = await train([
      '--folds-file',
      fixture('iris_folds_skf5_rs42.json'),
      '--test-size',
      '0',
      '--models',
      ALL,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const { cases, compared } = await expectSklearnAgrees(run.report!);
    expect(cases).toBe(builtinModels.length * 5);
    // Models with probabilities have every metric on every fold.
    const withProba = builtinModels.filter((d) => d.probabilities).length;
    expect(compared).toBeGreaterThanOrEqual(withProba * 5 * METRICS.length);
  });

  it('breast cancer (two classes): the test part and every fold of 5-fold CV, every model', async () => {
    const run = await train(['--dataset', fixture('sklearn/breast-cancer.csv'), '--cv', '5', '--models', ALL]);
    expect(run.code, run.stderr).toBe(0);
    const report = run.report!;
    expect(report.dataset.classes).toHaveLength(2);
    const { cases, compared } = await expectSklearnAgrees(report);
    expect(cases).toBe(builtinModels.length * 6);
    expect(compared).toBeGreaterThan(builtinModels.length * 6 * 10);
    // A model without probabilities has none in the report: null, never 0.
    for (const m of report.models)
      if (m.status === 'ok' && !builtinModels.find((d) => d.id === m.id)!.probabilities) {
        expect(m.probabilities).toBeNull();
        expect([m.metrics!.rocAuc, m.metrics!.logLoss, m.cv!.rocAuc]).toEqual([null, null, null]);
      }
  });
});

// What a leaderboard says beyond its numbers, from one report: which scores it shows (the CV
// means or the test part's), which models are not significantly worse than the best, and which
// do not beat the baseline. Pure functions of a report, so older reports get the same marks.
import { higherIsBetter } from '../ml/metrics.js';
import { correctedResampledTTest, mcnemarExact, type PairedTest } from '../ml/stats.js';
import { defaultSortBy, measureValue, rankModels, type Measure, type ModelReport, type OkModelReport, type Report } from './report.js';

/** The significance level of the leaderboard's "not significantly worse than the best" marks. */
export const BOARD_ALPHA = 0.05;

/** The scores a leaderboard shows: the CV means, or the test part's. */
export function boardScope(report: Pick<Report, 'cv' | 'sortBy'>): 'cv' | 'test' {
  const by = report.sortBy ?? defaultSortBy(report);
  return by.scope === 'timing' ? (report.cv ? 'cv' : 'test') : by.scope;
}

/** Test rows over training rows of a CV fold, averaged over the folds: the t-test's correction. */
export function foldRatio(report: Pick<Report, 'cv' | 'split'>): number {
  const folds = report.cv?.testFolds ?? [];
  const n = report.split.train.length;
  const ratios = folds.map((f) => f.length / Math.max(1, n - f.length));
  return ratios.reduce((a, b) => a + b, 0) / Math.max(1, ratios.length);
}

/** Per-fold values of a metric, when the model has them. */
const foldValues = (m: ModelReport | undefined, id: Measure['id']): number[] | undefined => {
  if (m?.status !== 'ok' || !m.cv) return undefined;
  const summary = (m.cv as Record<string, { folds: number[] } | null | undefined>)[id];
  return summary?.folds;
};

/**
 * Paired per-fold scores of one metric, A's and B's, compared by the corrected resampled t-test,
 * oriented so that a positive difference means B is better; undefined when either lacks them.
 */
export function pairedFolds(
  a: ModelReport | undefined,
  b: ModelReport | undefined,
  id: Measure['id'],
  ratio: number,
): PairedTest | undefined {
  const fa = foldValues(a, id);
  const fb = foldValues(b, id);
  if (!fa || !fb || fa.length !== fb.length || fa.length < 2) return undefined;
  const test = correctedResampledTTest(fa, fb, ratio);
  return higherIsBetter(id) ? test : { ...test, meanDiff: -test.meanDiff };
}

/**
 * McNemar's test on two models' predictions of the same test rows (`labels`: the truth of each);
 * undefined when either has none for these rows.
 */
export function pairedPredictions(
  a: ModelReport | undefined,
  b: ModelReport | undefined,
  labels: readonly number[] | undefined,
): PairedTest | undefined {
  if (a?.status !== 'ok' || b?.status !== 'ok' || !labels) return undefined;
  const pa = a.predictions;
  const pb = b.predictions;
  if (pa.length !== labels.length || pb.length !== labels.length || labels.length === 0) return undefined;
  let onlyA = 0;
  let onlyB = 0;
  labels.forEach((y, i) => {
    const ra = pa[i] === y;
    const rb = pb[i] === y;
    if (ra && !rb) onlyA++;
    else if (rb && !ra) onlyB++;
  });
  return mcnemarExact(onlyA, onlyB, labels.length);
}

/** The true class of each test row, when the report recorded the labels. */
export function testLabels(report: Pick<Report, 'dataset' | 'split'>): number[] | undefined {
  const labels = report.dataset.labels;
  return labels ? report.split.test.map((row) => labels[row]!) : undefined;
}

export type VersusBest =
  | { kind: 'best' }
  /** p: the paired test against the best model; `worse` when p < BOARD_ALPHA. */
  | { kind: 'tested'; test: 'cv' | 'mcnemar'; p: number; worse: boolean }
  | { kind: 'untested' };

/**
 * Each trained model against the best one of the leaderboard: on CV, the corrected resampled
 * t-test on the sort metric's fold scores; without CV, McNemar's test on the test predictions
 * (which compares accuracy, so only when the board is sorted by accuracy).
 */
export function versusBest(report: Report): Map<string, VersusBest> {
  const ranked = rankModels(report).filter((m): m is OkModelReport => m.status === 'ok');
  const out = new Map<string, VersusBest>();
  const best = ranked[0];
  if (!best) return out;
  const by = report.sortBy ?? defaultSortBy(report);
  const ratio = foldRatio(report);
  const labels = testLabels(report);
  out.set(best.id, { kind: 'best' });
  for (const m of ranked.slice(1)) {
    let test: PairedTest | undefined;
    let kind: 'cv' | 'mcnemar' = 'cv';
    if (by.scope === 'cv') test = pairedFolds(best, m, by.id, ratio);
    else if (by.scope === 'test' && by.id === 'accuracy') {
      test = pairedPredictions(best, m, labels);
      kind = 'mcnemar';
    }
    out.set(m.id, test ? { kind: 'tested', test: kind, p: test.p, worse: test.p < BOARD_ALPHA } : { kind: 'untested' });
  }
  return out;
}

/** The baseline row (the dummy) when it trained. */
export function baselineOf(report: Pick<Report, 'models'>): OkModelReport | undefined {
  return report.models.find((m): m is OkModelReport => m.status === 'ok' && m.baseline === true);
}

/**
 * Whether a model scores better than the baseline on the board's sort measure: false for a model
 * that ties or trails it; undefined when there is no baseline or no value to compare.
 */
export function beatsBaseline(report: Report, m: ModelReport): boolean | undefined {
  const baseline = baselineOf(report);
  if (!baseline || m.baseline || m.status !== 'ok') return undefined;
  const by = report.sortBy ?? defaultSortBy(report);
  const v = measureValue(m, by);
  const b = measureValue(baseline, by);
  if (typeof v !== 'number' || typeof b !== 'number') return undefined;
  // Scores are ratios of counts: a difference below float noise is a tie.
  return higherIsBetter(by.id) ? v > b + 1e-12 : v < b - 1e-12;
}

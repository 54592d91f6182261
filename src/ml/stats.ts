import jstat from 'jstat';

const { jStat } = jstat;

export interface Summary {
  mean: number;
  /** Population standard deviation (ddof = 0), as numpy's std and scikit-learn's reports. */
  std: number;
  folds: number[];
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  const mean = n === 0 ? 0 : values.reduce((a, b) => a + b, 0) / n;
  const variance = n === 0 ? 0 : values.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
  return { mean, std: Math.sqrt(variance), folds: [...values] };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A paired test's outcome: the two-sided p-value and what it was computed from. */
export interface PairedTest {
  /** Two-sided p-value: the chance of a difference at least this large if the two were the same. */
  p: number;
  /** Mean difference, B minus A (scores per fold, or correct rows per row for McNemar). */
  meanDiff: number;
}

/**
 * Nadeau and Bengio's corrected resampled t-test (Machine Learning 52, 2003) on paired per-fold
 * scores: CV folds share training rows, so the plain paired t-test's variance is too small; the
 * correction multiplies it by (1/k + n_test/n_train). Two-sided, k - 1 degrees of freedom. With
 * no spread between the folds' differences, p is 1 for no difference and 0 for any other.
 */
export function correctedResampledTTest(
  a: readonly number[],
  b: readonly number[],
  testTrainRatio: number,
): PairedTest & { t: number; df: number } {
  const k = a.length;
  if (k !== b.length || k < 2)
    throw new Error(`a paired t-test needs two lists of the same length >= 2, not ${k} and ${b.length}`);
  const d = a.map((v, i) => b[i]! - v);
  const mean = d.reduce((s, v) => s + v, 0) / k;
  const variance = d.reduce((s, v) => s + (v - mean) ** 2, 0) / (k - 1);
  const df = k - 1;
  // Folds that differ by float noise alone count as no spread.
  if (variance <= 1e-24) {
    const same = Math.abs(mean) <= 1e-12;
    return { p: same ? 1 : 0, meanDiff: mean, t: same ? 0 : Math.sign(mean) * Infinity, df };
  }
  const t = mean / Math.sqrt((1 / k + testTrainRatio) * variance);
  const p = Math.min(1, 2 * jStat.studentt.cdf(-Math.abs(t), df));
  return { p, meanDiff: mean, t, df };
}

/**
 * McNemar's exact test on paired predictions of the same rows: of the rows where exactly one of
 * the two is right, `onlyA` have A right and `onlyB` have B right; under no difference each such
 * row goes either way with chance 1/2. Two-sided binomial p-value (statsmodels' mcnemar(exact=True)).
 */
export function mcnemarExact(
  onlyA: number,
  onlyB: number,
  rows: number,
): PairedTest & { onlyA: number; onlyB: number } {
  const n = onlyA + onlyB;
  const k = Math.min(onlyA, onlyB);
  // P(X <= k) for X ~ Binomial(n, 1/2) is I_1/2(n - k, k + 1); jstat's own binomial CDF rounds to 1e-10.
  const tail = k >= n ? 1 : jStat.ibeta(0.5, n - k, k + 1);
  const p = n === 0 ? 1 : Math.min(1, 2 * tail);
  return { p, meanDiff: rows === 0 ? 0 : (onlyB - onlyA) / rows, onlyA, onlyB };
}

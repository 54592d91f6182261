// Parameters shared by the classification trees, named after scikit-learn 1.2's (camelCase) and
// resolved the way it resolves them.

import type { CartSettings } from './cart.js';
import { MAX_BINS } from './binning.js';

/**
 * "No limit" for depths and leaf counts: a small integer to the engine (2^30 - 1), not Infinity
 * or 2^31 - 1, which would be stored as doubles and make settings objects of two shapes.
 */
export const NO_LIMIT = 0x3fffffff;

export type Criterion = 'gini' | 'entropy';
/**
 * Features tried per node: null (all), 'sqrt', 'log2', an integer count (>= 1), or a fraction in
 * (0, 1). JSON cannot tell 1.0 from 1: a whole number is always a count, so `1` means one feature
 * (scikit-learn's `1.0`, all features, is `null` here).
 */
export type MaxFeatures = null | 'sqrt' | 'log2' | number;

export interface TreeParams {
  criterion: Criterion;
  /** Deepest a leaf may sit; null: grow until leaves are pure or too small to split. */
  maxDepth: number | null;
  /** Fewest rows a node needs to be split: an integer >= 2, or a fraction of all rows in (0, 1]. */
  minSamplesSplit: number;
  /** Fewest rows each child of a split keeps: an integer >= 1, or a fraction of all rows in (0, 1). */
  minSamplesLeaf: number;
  maxFeatures: MaxFeatures;
  /** Bins per feature, 2..256; features with at most this many distinct values split exactly. */
  maxBins: number;
}

export function checkTreeParams(p: TreeParams, who: string): void {
  if (p.criterion !== 'gini' && p.criterion !== 'entropy')
    throw new Error(`${who}: criterion must be 'gini' or 'entropy', got ${String(p.criterion)}`);
  if (p.maxDepth !== null && !(Number.isInteger(p.maxDepth) && p.maxDepth >= 1))
    throw new Error(`${who}: maxDepth must be null or an integer >= 1, got ${p.maxDepth}`);
  const split = p.minSamplesSplit;
  if (!(Number.isInteger(split) ? split >= 2 : split > 0 && split <= 1))
    throw new Error(`${who}: minSamplesSplit must be an integer >= 2 or a fraction in (0, 1], got ${split}`);
  const leaf = p.minSamplesLeaf;
  if (!(Number.isInteger(leaf) ? leaf >= 1 : leaf > 0 && leaf < 1))
    throw new Error(`${who}: minSamplesLeaf must be an integer >= 1 or a fraction in (0, 1), got ${leaf}`);
  const mf = p.maxFeatures;
  if (!(
    mf === null ||
    mf === 'sqrt' ||
    mf === 'log2' ||
    (typeof mf === 'number' && mf > 0 && (Number.isInteger(mf) || mf < 1))
  ))
    throw new Error(
      `${who}: maxFeatures must be null, 'sqrt', 'log2', an integer >= 1 or a fraction in (0, 1), got ${String(mf)}`,
    );
  if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > MAX_BINS)
    throw new Error(`${who}: maxBins must be an integer from 2 to ${MAX_BINS}, got ${p.maxBins}`);
}

export function resolveMaxFeatures(mf: MaxFeatures, cols: number): number {
  let k: number;
  if (mf === null) k = cols;
  else if (mf === 'sqrt') k = Math.floor(Math.sqrt(cols));
  else if (mf === 'log2') k = Math.floor(Math.log2(cols));
  else if (Number.isInteger(mf)) k = mf;
  else k = Math.floor(mf * cols);
  return Math.min(cols, Math.max(1, k));
}

/** Settings for the grower on `rows` training rows of `cols` features. */
export function cartSettings(p: TreeParams, rows: number, cols: number, random: boolean): CartSettings {
  const minSamplesLeaf = Number.isInteger(p.minSamplesLeaf) ? p.minSamplesLeaf : Math.ceil(p.minSamplesLeaf * rows);
  let minSamplesSplit = Number.isInteger(p.minSamplesSplit)
    ? p.minSamplesSplit
    : Math.max(2, Math.ceil(p.minSamplesSplit * rows));
  minSamplesSplit = Math.max(minSamplesSplit, 2 * minSamplesLeaf);
  return {
    entropy: p.criterion === 'entropy',
    random,
    maxDepth: p.maxDepth ?? NO_LIMIT,
    minSamplesSplit,
    minSamplesLeaf,
    maxFeatures: resolveMaxFeatures(p.maxFeatures, cols),
  };
}

export function checkFitInputs(
  X: { rows: number; cols: number; values: Float64Array },
  y: Int32Array,
  classes: number,
  who: string,
): void {
  if (X.rows < 1) throw new Error(`${who}: fit needs at least one row`);
  if (y.length !== X.rows) throw new Error(`${who}: ${X.rows} rows but ${y.length} labels`);
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`${who}: classes must be an integer >= 1, got ${classes}`);
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (c < 0 || c >= classes) throw new Error(`${who}: label ${c} at row ${i} is not in 0..${classes - 1}`);
  }
}

/** Row-major probabilities to class indices: the first largest wins. */
export function argmaxRows(proba: Float64Array, rows: number, classes: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let bestP = proba[i * classes]!;
    for (let c = 1; c < classes; c++) {
      const p = proba[i * classes + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

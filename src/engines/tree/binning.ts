// Every tree here splits on bins rather than raw values: each feature is mapped once, before any
// tree grows, to at most `maxBins` ordered bins, so a node's split search is a pass over its rows
// (a histogram) plus a pass over the bins, never a sort. A feature with at most `maxBins`
// distinct values gets one bin per value, which makes the search exactly CART's; otherwise bins
// hold about equal numbers of training rows (quantiles).
//
// Each bin remembers the smallest and largest training value it holds, so a split between two
// bins gets a real threshold, the midpoint between those values (as scikit-learn's exact splitter
// puts thresholds midway between consecutive values), and trees predict on raw features.

import type { Matrix } from '../../ml/matrix.js';

export class BinnedFeatures {
  // A class, not an object literal: optimized code reading a literal's fields deopts when the
  // literal is created a second time (a second fit), a constructor's stores do not.
  constructor(
    readonly rows: number,
    readonly cols: number,
    /** `bins[j * rows + i]`: the bin of feature `j` for row `i` (column-major, like Matrix). */
    readonly bins: Uint8Array,
    /** Bins per feature. */
    readonly binCount: Int32Array,
    /** Where feature `j`'s bins start in `lo`/`hi` (and in every per-bin histogram): cols + 1 entries. */
    readonly binOffset: Int32Array,
    /** Smallest training value in each bin. */
    readonly lo: Float64Array,
    /** Largest training value in each bin. */
    readonly hi: Float64Array,
    /** The largest bin count over all features. */
    readonly maxBinCount: number,
  ) {}
}

/** Bins are bytes: at most 256 per feature (scikit-learn's histogram estimators stop at 255). */
export const MAX_BINS = 256;

/**
 * A threshold strictly between `a < b` that sends `a` left and `b` right under `x <= threshold`.
 * The midpoint can round up to `b` (adjacent doubles) or overflow: then `a` itself, as
 * scikit-learn does.
 */
export function midpoint(a: number, b: number): number {
  const m = a / 2 + b / 2;
  return m >= b || m < a || !Number.isFinite(m) ? a : m;
}

export function binFeatures(X: Matrix, maxBins: number): BinnedFeatures {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS)
    throw new Error(`maxBins must be an integer from 2 to ${MAX_BINS}, got ${maxBins}`);
  const n = X.rows;
  const cols = X.cols;
  const bins = new Uint8Array(n * cols);
  const binCount = new Int32Array(cols);
  const binOffset = new Int32Array(cols + 1);
  const loAll = new Float64Array(cols * maxBins);
  const hiAll = new Float64Array(cols * maxBins);
  const scratch = new Scratch(n, maxBins);
  let maxBinCount = 0;
  for (let j = 0; j < cols; j++) {
    const column = X.values.subarray(j * n, (j + 1) * n);
    const target = bins.subarray(j * n, (j + 1) * n);
    const off = binOffset[j]!;
    let nb = exactBins(column, target, maxBins, scratch, loAll, hiAll, off);
    if (nb < 0) nb = quantileBins(column, target, maxBins, scratch, loAll, hiAll, off);
    if (nb === 0) throw new Error(`feature ${j} has a missing value (NaN): trees need every value`);
    binCount[j] = nb;
    binOffset[j + 1] = off + nb;
    if (nb > maxBinCount) maxBinCount = nb;
  }
  const total = binOffset[cols]!;
  return new BinnedFeatures(
    n,
    cols,
    bins,
    binCount,
    binOffset,
    loAll.slice(0, total),
    hiAll.slice(0, total),
    maxBinCount,
  );
}

class Scratch {
  readonly sorted: Float64Array;
  readonly distinct: Float64Array;
  /** Provisional bin of each distinct value: the order it was first seen in. */
  readonly ids: Uint8Array;
  readonly rank: Uint8Array;
  readonly bucketFirst = new Int32Array(BUCKETS + 1);
  /** Provisional bin of each small non-negative integer value seen, -1 if unseen. */
  readonly smallIds = new Int16Array(SMALL_INTS);
  constructor(n: number, maxBins: number) {
    this.sorted = new Float64Array(n);
    this.distinct = new Float64Array(maxBins);
    this.ids = new Uint8Array(maxBins);
    this.rank = new Uint8Array(maxBins);
  }
}

const BUCKETS = 2048;
/** Values 0..SMALL_INTS-1 that are integers (pixels, counts, codes) skip the search. */
const SMALL_INTS = 1024;

// Each loop below is the last thing its function does (see partition.ts for why).

/**
 * One bin per distinct value, if there are at most maxBins of them: one pass that keeps the
 * distinct values seen so far sorted (and gives up as soon as there are too many), then a remap
 * from first-seen order to value order. Returns the bin count, -1 if there are too many values,
 * 0 on NaN.
 */
function exactBins(
  column: Float64Array,
  target: Uint8Array,
  maxBins: number,
  scratch: Scratch,
  lo: Float64Array,
  hi: Float64Array,
  off: number,
): number {
  scratch.smallIds.fill(-1);
  const d = collectDistinct(column, target, maxBins, scratch);
  if (d <= 0) return d;
  rankDistinct(scratch, d, lo, hi, off);
  remap(target, scratch.rank);
  return d;
}

function collectDistinct(column: Float64Array, target: Uint8Array, maxBins: number, scratch: Scratch): number {
  const { distinct, ids, smallIds } = scratch;
  let d = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    const small = v >= 0 && v < SMALL_INTS && (v | 0) === v;
    if (small && smallIds[v]! >= 0) {
      target[i] = smallIds[v]!;
      continue;
    }
    if (v !== v) return 0;
    let a = 0;
    let b = d;
    while (a < b) {
      const m = (a + b) >> 1;
      if (distinct[m]! < v) a = m + 1;
      else b = m;
    }
    if (a < d && distinct[a] === v) {
      target[i] = ids[a]!;
      continue;
    }
    if (d === maxBins) return -1;
    for (let k = d; k > a; k--) {
      distinct[k] = distinct[k - 1]!;
      ids[k] = ids[k - 1]!;
    }
    distinct[a] = v;
    ids[a] = d;
    target[i] = d;
    if (small) smallIds[v] = d;
    d++;
  }
  return d;
}

function rankDistinct(scratch: Scratch, d: number, lo: Float64Array, hi: Float64Array, off: number): void {
  const { distinct, ids, rank } = scratch;
  for (let k = 0; k < d; k++) {
    rank[ids[k]!] = k;
    lo[off + k] = distinct[k]!;
    hi[off + k] = distinct[k]!;
  }
}

function remap(target: Uint8Array, rank: Uint8Array): void {
  for (let i = 0; i < target.length; i++) target[i] = rank[target[i]!]!;
}

/**
 * About equal numbers of rows per bin, from the sorted column: a bin closes once it holds its
 * share of the rows not yet binned, so one heavy value (a run of zeros, say) does not starve the
 * others of bins. Returns the bin count, 0 on NaN.
 */
function quantileBins(
  column: Float64Array,
  target: Uint8Array,
  maxBins: number,
  scratch: Scratch,
  lo: Float64Array,
  hi: Float64Array,
  off: number,
): number {
  const n = column.length;
  const sorted = scratch.sorted;
  sorted.set(column);
  sorted.sort();
  if (Number.isNaN(sorted[n - 1]!)) return 0;
  const nb = quantileEdges(sorted, maxBins, lo, hi, off);
  // A row's bin is the first whose largest value is not below the row's value. Found from a
  // table over equal slices of the value range (where each slice's first candidate bin is), so
  // that most rows take one or two comparisons instead of a binary search's eight.
  const min = sorted[0]!;
  const scale = BUCKETS / (sorted[n - 1]! - min);
  if (Number.isFinite(scale) && Number.isFinite(min)) {
    bucketTable(scratch.bucketFirst, min, scale, nb, hi, off);
    assignByTable(column, target, scratch.bucketFirst, min, scale, hi, off);
  } else assignBySearch(column, target, nb, hi, off);
  return nb;
}

function quantileEdges(sorted: Float64Array, maxBins: number, lo: Float64Array, hi: Float64Array, off: number): number {
  const n = sorted.length;
  let nb = 0;
  let binStart = 0;
  let open = 0;
  for (let i = 0; i < n;) {
    const v = sorted[i]!;
    let k = i + 1;
    while (k < n && sorted[k] === v) k++;
    if (open === 0) {
      lo[off + nb++] = v;
      open = 1;
    }
    hi[off + nb - 1] = v;
    if (nb < maxBins && k < n && k - binStart >= (n - binStart) / (maxBins - nb + 1)) {
      open = 0;
      binStart = k;
    }
    i = k;
  }
  return nb;
}

function bucketTable(first: Int32Array, min: number, scale: number, nb: number, hi: Float64Array, off: number): void {
  let b = 0;
  for (let k = 0; k <= BUCKETS; k++) {
    const edge = min + k / scale;
    while (b < nb - 1 && hi[off + b]! < edge) b++;
    first[k] = b;
  }
}

function assignByTable(
  column: Float64Array,
  target: Uint8Array,
  first: Int32Array,
  min: number,
  scale: number,
  hi: Float64Array,
  off: number,
): void {
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    let k = Math.floor((v - min) * scale);
    if (k >= BUCKETS) k = BUCKETS - 1;
    // The table's edges are rounded: step back if it overshot, then forward to the bin.
    let a = first[k]!;
    while (a > 0 && v <= hi[off + a - 1]!) a--;
    while (v > hi[off + a]!) a++;
    target[i] = a;
  }
}

function assignBySearch(column: Float64Array, target: Uint8Array, nb: number, hi: Float64Array, off: number): void {
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    let a = 0;
    let b = nb - 1;
    while (a < b) {
      const m = (a + b) >> 1;
      if (v <= hi[off + m]!) b = m;
      else a = m + 1;
    }
    target[i] = a;
  }
}

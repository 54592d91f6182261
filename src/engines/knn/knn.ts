// k-nearest neighbours as scikit-learn's KNeighborsClassifier with the Euclidean metric and
// brute-force search (what its algorithm 'auto' picks for more than 15 features).
//
// Search: squared distances as ||q||^2 + ||t||^2 - 2 q.t, the dot products over register tiles
// of 4 query rows x 4 training rows (16 accumulators in locals), the tiles walked over a block of
// training rows that stays in cache while a block of queries is swept over it. Ranking only needs
// ||t||^2 - 2 q.t (the query's norm is the same for all its candidates), as scikit-learn's
// ArgKmin ranks. Each query keeps its k best in a small sorted buffer; a candidate enters only
// when strictly better than the current k-th, so at equal distance the lower training index
// wins (training rows arrive in index order). A tile is abandoned part-way when its partial sums
// already prove all its pairs out of the k best (see sweep): still an exhaustive search in what
// it returns, at about half the arithmetic on standardized data.
//
// Votes: 'uniform' counts the k labels, 'distance' weighs them by 1 / distance, and where a
// neighbour is at distance 0 only the neighbours at distance 0 vote (scikit-learn's rule).
// predictProba is the vote fractions; predict is their argmax, the lowest class on a tie, as
// scikit-learn's mode and weighted_mode give.

import type { Matrix } from '../../ml/matrix.js';
import { decodeF64, decodeI32, encodeArray, type Encoded } from '../encode.js';

export interface KNeighborsParams {
  /** Neighbours that vote (scikit-learn: 5); fewer when the training set is smaller. */
  nNeighbors: number;
  weights: 'uniform' | 'distance';
}

export const KNEIGHBORS_DEFAULTS: KNeighborsParams = { nNeighbors: 5, weights: 'uniform' };

export interface KNeighborsJson {
  kind: 'knn';
  params: KNeighborsParams;
  classes: number;
  rows: number;
  features: number;
  /** The training rows, column-major as the Matrix they came in. */
  values: Encoded;
  labels: Encoded;
}

/** Training rows per panel: the 4 of a register tile, features interleaved. */
const PANEL = 4;
/** Query rows per panel: the other side of the tile. */
const QUERY_PANEL = 4;
/** Bytes of packed training rows per cache block (well inside a 1-2 MiB L2). */
const TRAIN_BLOCK_BYTES = 256 * 1024;
const QUERY_BLOCK_BYTES = 128 * 1024;

export class KNeighborsClassifier {
  readonly params: KNeighborsParams;
  private classCount = 0;
  private n = 0;
  private d = 0;
  private values: Float64Array = new Float64Array(0);
  private labels: Int32Array = new Int32Array(0);
  // Packed training rows: panel p holds rows 4p..4p+3, value of row 4p+r, feature j at
  // (p * d + j) * 4 + r. Rows past n are zeros with norm +Infinity, so they never rank.
  private packed: Float64Array = new Float64Array(0);
  private norms: Float64Array = new Float64Array(0);
  // Partial-distance checkpoints (feature counts, ascending, then d) and, per training row, the
  // norm of its features before each checkpoint: (p * checks + s) * 4 + r.
  private cuts: Int32Array = new Int32Array(0);
  private prefixNorms: Float64Array = new Float64Array(0);
  private maxNorm = 0;

  constructor(params: Partial<KNeighborsParams> = {}, _seed = 0) {
    this.params = { ...KNEIGHBORS_DEFAULTS, ...params };
    const p = this.params;
    if (!Number.isInteger(p.nNeighbors) || p.nNeighbors < 1) throw new Error('nNeighbors must be an integer >= 1');
    if (p.weights !== 'uniform' && p.weights !== 'distance') throw new Error(`unknown weights '${p.weights}'`);
  }

  fit(X: Matrix, y: Int32Array, classes: number): void {
    if (X.rows === 0) throw new Error('KNeighbors needs at least one row');
    if (y.length !== X.rows) throw new Error(`${X.rows} rows but ${y.length} labels`);
    for (let i = 0; i < y.length; i++) {
      if (y[i]! < 0 || y[i]! >= classes) throw new Error(`label ${y[i]} outside 0..${classes - 1}`);
    }
    this.install(classes, X.rows, X.cols, X.values.slice(), y.slice());
  }

  private install(classes: number, n: number, d: number, values: Float64Array, labels: Int32Array): void {
    this.classCount = classes;
    this.n = n;
    this.d = d;
    this.values = values;
    this.labels = labels;
    const panels = Math.ceil(n / PANEL);
    const packed = new Float64Array(panels * PANEL * d);
    const norms = new Float64Array(panels * PANEL).fill(Infinity);
    for (let i = 0; i < n; i++) {
      const base = Math.floor(i / PANEL) * PANEL * d + (i % PANEL);
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = values[j * n + i]!;
        packed[base + j * PANEL] = v;
        s += v * v;
      }
      norms[i] = s;
    }
    this.packed = packed;
    this.norms = norms;
    const cuts = checkpoints(d);
    const checks = cuts.length - 1;
    const prefix = new Float64Array(panels * checks * PANEL).fill(Infinity);
    let maxNorm = 0;
    for (let i = 0; i < n; i++) {
      const p = Math.floor(i / PANEL);
      const r = i % PANEL;
      let sum = 0;
      for (let j = 0, c = 0; c < checks; c++) {
        for (; j < cuts[c]!; j++) {
          const v = values[j * n + i]!;
          sum += v * v;
        }
        prefix[(p * checks + c) * PANEL + r] = sum;
      }
      if (norms[i]! > maxNorm) maxNorm = norms[i]!;
    }
    this.cuts = cuts;
    this.prefixNorms = prefix;
    this.maxNorm = maxNorm;
  }

  /** Neighbours actually used: nNeighbors, or all the training rows when there are fewer. */
  get k(): number {
    return Math.min(this.params.nNeighbors, this.n);
  }

  /**
   * The k nearest training rows of every query, nearest first (ties: lower index first), and
   * their Euclidean distances; both rows x k, row-major.
   */
  kneighbors(X: Matrix): { indices: Int32Array; distances: Float64Array } {
    this.check(X);
    const k = this.k;
    const nq = X.rows;
    const d = this.d;
    const keys = new Float64Array(nq * k).fill(Infinity);
    const indices = new Int32Array(nq * k).fill(-1);
    // Queries in panels of 4, features interleaved, as the training rows; per query and
    // checkpoint, the norm of its features from the checkpoint on plus a rounding slack.
    const qPanels = Math.ceil(nq / QUERY_PANEL);
    const q = new Float64Array(qPanels * QUERY_PANEL * d);
    const qNorms = new Float64Array(qPanels * QUERY_PANEL);
    const cuts = this.cuts;
    const checks = cuts.length - 1;
    const qRest = new Float64Array(qPanels * checks * QUERY_PANEL);
    for (let i = 0; i < nq; i++) {
      const qp = Math.floor(i / QUERY_PANEL);
      const r = i % QUERY_PANEL;
      const base = qp * QUERY_PANEL * d + r;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = X.values[j * nq + i]!;
        q[base + j * QUERY_PANEL] = v;
        s += v * v;
      }
      qNorms[i] = s;
      // Far above the rounding of any key (about d * 2^-52 * (||q||^2 + ||t||^2)): a candidate is
      // skipped only when it could not have entered the k best.
      const slack = 1e-9 * (s + this.maxNorm);
      let prefix = 0;
      for (let j = 0, c = 0; c < checks; c++) {
        for (; j < cuts[c]!; j++) {
          const v = X.values[j * nq + i]!;
          prefix += v * v;
        }
        qRest[(qp * checks + c) * QUERY_PANEL + r] = s - prefix + slack;
      }
    }
    const tPanels = this.norms.length / PANEL;
    const tBlock = Math.max(1, Math.floor(TRAIN_BLOCK_BYTES / (PANEL * 8 * Math.max(1, d))));
    const qBlock = Math.max(1, Math.floor(QUERY_BLOCK_BYTES / (QUERY_PANEL * 8 * Math.max(1, d))));
    for (let qb = 0; qb < qPanels; qb += qBlock) {
      const qEnd = Math.min(qPanels, qb + qBlock);
      for (let tb = 0; tb < tPanels; tb += tBlock) {
        const tEnd = Math.min(tPanels, tb + tBlock);
        for (let qp = qb; qp < qEnd; qp++) this.sweep(q, qRest, qp, nq, tb, tEnd, keys, indices, k);
      }
    }
    const distances = new Float64Array(nq * k);
    for (let i = 0; i < nq; i++) {
      for (let t = 0; t < k; t++) {
        const sq = keys[i * k + t]! + qNorms[i]!;
        distances[i * k + t] = Math.sqrt(sq > 0 ? sq : 0);
      }
    }
    return { indices, distances };
  }

  /**
   * One query panel (rows 4qp..4qp+3) against training panels [t0, t1): the hot loop, a 4 x 4
   * register tile. The k-th best key of each query lives in a local; the buffers are touched only
   * on an insert.
   *
   * At each checkpoint h the partial sums give a lower bound on a pair's key,
   *   ||t||^2 - 2 q.t = ||q - t||^2 - ||q||^2 >= ||t_<h||^2 - 2 q_<h.t_<h - ||q_>=h||^2,
   * and when it exceeds the k-th best of its query for all 16 pairs the tile is abandoned. The
   * sums that go on are the same sums in the same order, so the keys, and the neighbours found,
   * are exactly those of the full computation.
   */
  private sweep(
    q: Float64Array,
    qRest: Float64Array,
    qp: number,
    nq: number,
    t0: number,
    t1: number,
    keys: Float64Array,
    indices: Int32Array,
    k: number,
  ): void {
    const d = this.d;
    const packed = this.packed;
    const norms = this.norms;
    const prefix = this.prefixNorms;
    const cuts = this.cuts;
    const checks = cuts.length - 1;
    const qo = qp * QUERY_PANEL * d;
    const qr = qp * checks * QUERY_PANEL;
    const at0 = (QUERY_PANEL * qp + 0) * k;
    const at1 = (QUERY_PANEL * qp + 1) * k;
    const at2 = (QUERY_PANEL * qp + 2) * k;
    const at3 = (QUERY_PANEL * qp + 3) * k;
    // A missing query (the count not a multiple of 4) never accepts anything.
    let worst0 = QUERY_PANEL * qp + 0 < nq ? keys[at0 + k - 1]! : -Infinity;
    let worst1 = QUERY_PANEL * qp + 1 < nq ? keys[at1 + k - 1]! : -Infinity;
    let worst2 = QUERY_PANEL * qp + 2 < nq ? keys[at2 + k - 1]! : -Infinity;
    let worst3 = QUERY_PANEL * qp + 3 < nq ? keys[at3 + k - 1]! : -Infinity;
    tiles: for (let p = t0; p < t1; p++) {
      let a00 = 0;
      let a01 = 0;
      let a02 = 0;
      let a03 = 0;
      let a10 = 0;
      let a11 = 0;
      let a12 = 0;
      let a13 = 0;
      let a20 = 0;
      let a21 = 0;
      let a22 = 0;
      let a23 = 0;
      let a30 = 0;
      let a31 = 0;
      let a32 = 0;
      let a33 = 0;
      let to = p * PANEL * d;
      let qi = qo;
      let j = 0;
      for (let c = 0; ; c++) {
        const end = cuts[c]!;
        for (; j < end; j++, to += PANEL, qi += QUERY_PANEL) {
          const x0 = q[qi + 0]!;
          const x1 = q[qi + 1]!;
          const x2 = q[qi + 2]!;
          const x3 = q[qi + 3]!;
          const t0 = packed[to + 0]!;
          const t1 = packed[to + 1]!;
          const t2 = packed[to + 2]!;
          const t3 = packed[to + 3]!;
          a00 += x0 * t0;
          a01 += x0 * t1;
          a02 += x0 * t2;
          a03 += x0 * t3;
          a10 += x1 * t0;
          a11 += x1 * t1;
          a12 += x1 * t2;
          a13 += x1 * t3;
          a20 += x2 * t0;
          a21 += x2 * t1;
          a22 += x2 * t2;
          a23 += x2 * t3;
          a30 += x3 * t0;
          a31 += x3 * t1;
          a32 += x3 * t2;
          a33 += x3 * t3;
        }
        if (c === checks) break;
        const po = (p * checks + c) * PANEL;
        const m0 = prefix[po]!;
        const m1 = prefix[po + 1]!;
        const m2 = prefix[po + 2]!;
        const m3 = prefix[po + 3]!;
        const qc = qr + c * QUERY_PANEL;
        const lim0 = worst0 + qRest[qc + 0]!;
        const lim1 = worst1 + qRest[qc + 1]!;
        const lim2 = worst2 + qRest[qc + 2]!;
        const lim3 = worst3 + qRest[qc + 3]!;
        // Short-circuit: a tile that goes on usually shows it at its first pair.
        if (!(
          m0 - 2 * a00 <= lim0 ||
          m1 - 2 * a01 <= lim0 ||
          m2 - 2 * a02 <= lim0 ||
          m3 - 2 * a03 <= lim0 ||
          m0 - 2 * a10 <= lim1 ||
          m1 - 2 * a11 <= lim1 ||
          m2 - 2 * a12 <= lim1 ||
          m3 - 2 * a13 <= lim1 ||
          m0 - 2 * a20 <= lim2 ||
          m1 - 2 * a21 <= lim2 ||
          m2 - 2 * a22 <= lim2 ||
          m3 - 2 * a23 <= lim2 ||
          m0 - 2 * a30 <= lim3 ||
          m1 - 2 * a31 <= lim3 ||
          m2 - 2 * a32 <= lim3 ||
          m3 - 2 * a33 <= lim3
        ))
          continue tiles;
      }
      const base = p * PANEL;
      const n0 = norms[base + 0]!;
      const n1 = norms[base + 1]!;
      const n2 = norms[base + 2]!;
      const n3 = norms[base + 3]!;
      let key: number;
      key = n0 - 2 * a00;
      if (key < worst0) worst0 = insert(keys, indices, at0, k, key, base + 0);
      key = n1 - 2 * a01;
      if (key < worst0) worst0 = insert(keys, indices, at0, k, key, base + 1);
      key = n2 - 2 * a02;
      if (key < worst0) worst0 = insert(keys, indices, at0, k, key, base + 2);
      key = n3 - 2 * a03;
      if (key < worst0) worst0 = insert(keys, indices, at0, k, key, base + 3);
      key = n0 - 2 * a10;
      if (key < worst1) worst1 = insert(keys, indices, at1, k, key, base + 0);
      key = n1 - 2 * a11;
      if (key < worst1) worst1 = insert(keys, indices, at1, k, key, base + 1);
      key = n2 - 2 * a12;
      if (key < worst1) worst1 = insert(keys, indices, at1, k, key, base + 2);
      key = n3 - 2 * a13;
      if (key < worst1) worst1 = insert(keys, indices, at1, k, key, base + 3);
      key = n0 - 2 * a20;
      if (key < worst2) worst2 = insert(keys, indices, at2, k, key, base + 0);
      key = n1 - 2 * a21;
      if (key < worst2) worst2 = insert(keys, indices, at2, k, key, base + 1);
      key = n2 - 2 * a22;
      if (key < worst2) worst2 = insert(keys, indices, at2, k, key, base + 2);
      key = n3 - 2 * a23;
      if (key < worst2) worst2 = insert(keys, indices, at2, k, key, base + 3);
      key = n0 - 2 * a30;
      if (key < worst3) worst3 = insert(keys, indices, at3, k, key, base + 0);
      key = n1 - 2 * a31;
      if (key < worst3) worst3 = insert(keys, indices, at3, k, key, base + 1);
      key = n2 - 2 * a32;
      if (key < worst3) worst3 = insert(keys, indices, at3, k, key, base + 2);
      key = n3 - 2 * a33;
      if (key < worst3) worst3 = insert(keys, indices, at3, k, key, base + 3);
    }
  }

  /** Votes per class, rows x classes, row-major; each row sums to 1. */
  predictProba(X: Matrix): Float64Array {
    const { indices, distances } = this.kneighbors(X);
    const nq = X.rows;
    const k = this.k;
    const C = this.classCount;
    const labels = this.labels;
    const out = new Float64Array(nq * C);
    const byDistance = this.params.weights === 'distance';
    for (let i = 0; i < nq; i++) {
      const o = i * C;
      const at = i * k;
      let zero = false;
      if (byDistance) for (let t = 0; t < k; t++) if (distances[at + t] === 0 && indices[at + t]! >= 0) zero = true;
      let total = 0;
      for (let t = 0; t < k; t++) {
        const idx = indices[at + t]!;
        if (idx < 0) continue;
        let w = 1;
        if (byDistance) w = zero ? (distances[at + t] === 0 ? 1 : 0) : 1 / distances[at + t]!;
        out[o + labels[idx]!]! += w;
        total += w;
      }
      if (total > 0) for (let c = 0; c < C; c++) out[o + c]! /= total;
      else for (let c = 0; c < C; c++) out[o + c] = 1 / C;
    }
    return out;
  }

  predict(X: Matrix): Int32Array {
    const proba = this.predictProba(X);
    const C = this.classCount;
    const out = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      const o = i * C;
      let best = 0;
      for (let c = 1; c < C; c++) if (proba[o + c]! > proba[o + best]!) best = c;
      out[i] = best;
    }
    return out;
  }

  toJSON(): KNeighborsJson {
    return {
      kind: 'knn',
      params: { ...this.params },
      classes: this.classCount,
      rows: this.n,
      features: this.d,
      values: encodeArray(this.values),
      labels: encodeArray(this.labels),
    };
  }

  static fromJSON(json: KNeighborsJson): KNeighborsClassifier {
    if (json?.kind !== 'knn') throw new Error('not a knn model');
    const model = new KNeighborsClassifier(json.params);
    const values = decodeF64(json.values);
    const labels = decodeI32(json.labels);
    if (values.length !== json.rows * json.features || labels.length !== json.rows)
      throw new Error('knn model arrays do not match its shape');
    model.install(json.classes, json.rows, json.features, values, labels);
    return model;
  }

  private check(X: Matrix): void {
    if (this.classCount === 0) throw new Error('KNeighbors is not fitted');
    if (X.cols !== this.d) throw new Error(`model has ${this.d} features, data has ${X.cols}`);
  }
}

/**
 * Where partial distances are checked: after 45%, 65% and 85% of the features (the last entry is d
 * itself). A check costs about half a feature's work; on standardized data the first already
 * drops about half the tiles and the second nearly all; more or earlier checks cost more than they
 * save (measured on synth-100000x20).
 */
function checkpoints(d: number): Int32Array {
  const cuts: number[] = [];
  for (const f of [0.45, 0.65, 0.85]) {
    const h = Math.round(f * d);
    if (h >= 2 && h < d && h !== cuts[cuts.length - 1]) cuts.push(h);
  }
  cuts.push(d);
  return Int32Array.from(cuts);
}

/**
 * Puts (key, index) into the sorted buffer at [at, at + k) after every entry with a key <= it
 * (those came earlier, so have lower indices), dropping the last; returns the new k-th key.
 */
function insert(keys: Float64Array, indices: Int32Array, at: number, k: number, key: number, index: number): number {
  let pos = at + k - 1;
  while (pos > at && keys[pos - 1]! > key) {
    keys[pos] = keys[pos - 1]!;
    indices[pos] = indices[pos - 1]!;
    pos--;
  }
  keys[pos] = key;
  indices[pos] = index;
  return keys[at + k - 1]!;
}

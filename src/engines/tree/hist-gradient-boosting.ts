// Gradient boosting of binned trees, as scikit-learn 1.2's HistGradientBoostingClassifier (its
// defaults, its growth rules, its early stopping): binary log loss with one tree per iteration,
// or softmax cross-entropy with one tree per class per iteration; the baseline is the class
// priors' log-odds (binary) or logs (softmax); trees grow best first to maxLeafNodes leaves.
// Early stopping ('auto': on above 10,000 rows) holds out a stratified validationFraction of the
// rows (drawn from the seed), bins only the rest, and stops once the validation loss has not
// improved by more than tol for nIterNoChange iterations; the trees grown so far are kept.
//
// Classes absent from the training rows get probability 0 and no trees: the loss is over the
// classes present (two present: binary), as scikit-learn, whose classes come from y, would fit.

import type { Matrix } from '../../ml/matrix.js';
import { createRandom } from '../../ml/random.js';
import { decodeF64, encodeArray, type Encoded } from '../encode.js';
import { binFeatures } from './binning.js';
import { GradientTreeGrower } from './boosting.js';
import { EnsembleBuilder, TreeEnsemble, type EnsembleJson } from './ensemble.js';
import { argmaxRows, checkFitInputs, NO_LIMIT } from './params.js';

export interface HistGradientBoostingParams {
  learningRate: number;
  maxIter: number;
  /** Most leaves per tree; null: no limit (minSamplesLeaf and maxDepth still apply). */
  maxLeafNodes: number | null;
  /** Deepest a leaf may sit; null: no limit. */
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2Regularization: number;
  /** Bins per feature, 2..255 (as scikit-learn). */
  maxBins: number;
  /** 'auto': on when there are more than 10,000 rows. */
  earlyStopping: 'auto' | boolean;
  /** Share of rows held out to score early stopping; null: score on the training loss. */
  validationFraction: number | null;
  nIterNoChange: number;
  tol: number;
}

export const HIST_GRADIENT_BOOSTING_DEFAULTS: HistGradientBoostingParams = {
  learningRate: 0.1,
  maxIter: 100,
  maxLeafNodes: 31,
  maxDepth: null,
  minSamplesLeaf: 20,
  l2Regularization: 0,
  maxBins: 255,
  earlyStopping: 'auto',
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 1e-7,
};

export interface HistGradientBoostingJson {
  kind: 'hist-gradient-boosting';
  params: HistGradientBoostingParams;
  seed: number;
  classes: number;
  features: number;
  /** The classes the loss is over, in order (the others have probability 0). */
  present: number[];
  /** Raw score before any tree, per tree of an iteration. */
  baseline: Encoded;
  iterations: number;
  trees: EnsembleJson;
}

const WHO = 'HistGradientBoostingClassifier';

export class HistGradientBoostingClassifier {
  private readonly params: HistGradientBoostingParams;
  private trees: TreeEnsemble | null = null;
  private classes = 0;
  private features = 0;
  private present: number[] = [];
  private baseline: Float64Array = new Float64Array(0);
  private iterations = 0;
  /** Validation (or training) scores, negative mean loss, baseline first. */
  private scores: number[] = [];

  constructor(
    params: Partial<HistGradientBoostingParams>,
    private readonly seed: number,
  ) {
    this.params = { ...HIST_GRADIENT_BOOSTING_DEFAULTS, ...params };
    const p = this.params;
    const positiveInt = (v: number): boolean => Number.isInteger(v) && v >= 1;
    if (!(p.learningRate > 0)) throw new Error(`${WHO}: learningRate must be > 0, got ${p.learningRate}`);
    if (!positiveInt(p.maxIter)) throw new Error(`${WHO}: maxIter must be an integer >= 1, got ${p.maxIter}`);
    if (p.maxLeafNodes !== null && !(Number.isInteger(p.maxLeafNodes) && p.maxLeafNodes >= 2))
      throw new Error(`${WHO}: maxLeafNodes must be null or an integer >= 2, got ${p.maxLeafNodes}`);
    if (p.maxDepth !== null && !positiveInt(p.maxDepth))
      throw new Error(`${WHO}: maxDepth must be null or an integer >= 1, got ${p.maxDepth}`);
    if (!positiveInt(p.minSamplesLeaf))
      throw new Error(`${WHO}: minSamplesLeaf must be an integer >= 1, got ${p.minSamplesLeaf}`);
    if (!(p.l2Regularization >= 0)) throw new Error(`${WHO}: l2Regularization must be >= 0`);
    if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > 255)
      throw new Error(`${WHO}: maxBins must be an integer from 2 to 255, got ${p.maxBins}`);
    if (p.earlyStopping !== 'auto' && typeof p.earlyStopping !== 'boolean')
      throw new Error(`${WHO}: earlyStopping must be 'auto', true or false`);
    if (p.validationFraction !== null && !(p.validationFraction > 0 && p.validationFraction < 1))
      throw new Error(`${WHO}: validationFraction must be null or in (0, 1), got ${p.validationFraction}`);
    if (!positiveInt(p.nIterNoChange)) throw new Error(`${WHO}: nIterNoChange must be an integer >= 1`);
    if (!(p.tol >= 0)) throw new Error(`${WHO}: tol must be >= 0`);
  }

  fit(X: Matrix, y: Int32Array, classes: number): void {
    checkFitInputs(X, y, classes, WHO);
    const p = this.params;
    const early = p.earlyStopping === 'auto' ? X.rows > 10000 : p.earlyStopping;
    const held = early && p.validationFraction !== null;
    let Xtr = X;
    let ytr = y;
    let Xval: Matrix | null = null;
    let yval: Int32Array | null = null;
    if (held) {
      const [train, val] = stratifiedSplit(y, classes, p.validationFraction!, createRandom(this.seed));
      if (val.length > 0 && train.length > 0) {
        Xtr = takeRows(X, train);
        ytr = Int32Array.from(train, (i) => y[i]!);
        Xval = takeRows(X, val);
        yval = Int32Array.from(val, (i) => y[i]!);
      }
    }

    const n = Xtr.rows;
    const counts = new Int32Array(classes);
    for (let i = 0; i < n; i++) counts[ytr[i]!]!++;
    const present: number[] = [];
    const index = new Int32Array(classes).fill(-1);
    for (let c = 0; c < classes; c++) if (counts[c]! > 0) index[c] = present.push(c) - 1;
    this.present = present;
    this.classes = classes;
    this.features = X.cols;
    this.iterations = 0;
    this.scores = [];
    const K = present.length === 2 ? 1 : present.length === 1 ? 0 : present.length;
    const builder = new EnsembleBuilder(1, 1024);
    this.baseline = new Float64Array(K);
    if (K === 0) {
      this.trees = builder.build();
      return;
    }
    if (K === 1) {
      const p1 = counts[present[1]!]! / n;
      this.baseline[0] = Math.log(p1 / (1 - p1));
    } else for (let k = 0; k < K; k++) this.baseline[k] = Math.log(counts[present[k]!]! / n);

    const yy = Int32Array.from(ytr, (c) => index[c]!);
    const yv = yval ? Int32Array.from(yval, (c) => index[c]!) : null;
    const data = binFeatures(Xtr, p.maxBins);
    const grower = new GradientTreeGrower(data, {
      maxLeafNodes: p.maxLeafNodes ?? NO_LIMIT,
      maxDepth: p.maxDepth ?? NO_LIMIT,
      minSamplesLeaf: p.minSamplesLeaf,
      l2Regularization: p.l2Regularization,
      minHessian: 1e-3,
    });
    const raw = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) raw[i * K + k] = this.baseline[k]!;
    const rawVal = Xval ? new Float64Array(Xval.rows * K) : null;
    if (rawVal) for (let i = 0; i < rawVal.length; i++) rawVal[i] = this.baseline[i % K]!;
    const g = new Float64Array(n * K);
    const h = new Float64Array(n * K);

    if (early) this.scores.push(-meanLoss(rawVal ?? raw, yv ?? yy, K));
    for (let it = 0; it < p.maxIter; it++) {
      gradients(raw, yy, K, g, h);
      for (let k = 0; k < K; k++) {
        grower.grow(g, h, k * n, p.learningRate);
        grower.addToTraining(raw, K, k);
        if (rawVal) grower.addToRows(Xval!, rawVal, K, k);
        grower.emit(builder);
      }
      this.iterations++;
      if (early) {
        this.scores.push(-meanLoss(rawVal ?? raw, yv ?? yy, K));
        if (shouldStop(this.scores, p.nIterNoChange, p.tol)) break;
      }
    }
    this.trees = builder.build();
  }

  /** Raw scores (log-odds, or softmax logits over the present classes), row-major. */
  decisionFunction(X: Matrix): Float64Array {
    const trees = this.ensemble;
    if (X.cols !== this.features) throw new Error(`${WHO}: fitted on ${this.features} features, got ${X.cols}`);
    const K = this.baseline.length;
    const raw = new Float64Array(X.rows * K);
    for (let i = 0; i < raw.length; i++) raw[i] = this.baseline[i % K]!;
    for (let t = 0; t < trees.trees; t++) trees.addTree(t, X, raw, K, t % K);
    return raw;
  }

  predictProba(X: Matrix): Float64Array {
    const raw = this.decisionFunction(X);
    const C = this.classes;
    const K = this.baseline.length;
    const present = this.present;
    const out = new Float64Array(X.rows * C);
    for (let i = 0; i < X.rows; i++) {
      const row = i * C;
      if (K === 0) out[row + present[0]!] = 1;
      else if (K === 1) {
        const p1 = 1 / (1 + Math.exp(-raw[i]!));
        out[row + present[1]!] = p1;
        out[row + present[0]!] = 1 - p1;
      } else {
        let max = -Infinity;
        for (let k = 0; k < K; k++) if (raw[i * K + k]! > max) max = raw[i * K + k]!;
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(raw[i * K + k]! - max);
        for (let k = 0; k < K; k++) out[row + present[k]!] = Math.exp(raw[i * K + k]! - max) / sum;
      }
    }
    return out;
  }

  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X), X.rows, this.classes);
  }

  /** Iterations run (fewer than maxIter when early stopping ended the fit). */
  get nIter(): number {
    return this.iterations;
  }

  /** The early-stopping scores (negative mean loss), the baseline's first; empty without it. */
  get validationScores(): readonly number[] {
    return this.scores;
  }

  get ensemble(): TreeEnsemble {
    if (!this.trees) throw new Error(`${WHO}: fit() must run first`);
    return this.trees;
  }

  toJSON(): HistGradientBoostingJson {
    return {
      kind: 'hist-gradient-boosting',
      params: this.params,
      seed: this.seed,
      classes: this.classes,
      features: this.features,
      present: this.present,
      baseline: encodeArray(this.baseline),
      iterations: this.iterations,
      trees: this.ensemble.toJSON(),
    };
  }

  static fromJSON(json: HistGradientBoostingJson): HistGradientBoostingClassifier {
    if (json?.kind !== 'hist-gradient-boosting') throw new Error(`not a ${WHO} JSON`);
    const model = new HistGradientBoostingClassifier(json.params, json.seed);
    model.trees = TreeEnsemble.fromJSON(json.trees);
    model.classes = json.classes;
    model.features = json.features;
    model.present = [...json.present];
    model.baseline = decodeF64(json.baseline);
    model.iterations = json.iterations;
    const K = model.baseline.length;
    if (model.trees.width !== 1 || (K === 0 ? model.trees.trees !== 0 : model.trees.trees % K !== 0))
      throw new Error(`${WHO} JSON: trees do not match the classes`);
    return model;
  }
}

/** The given rows of a column-major matrix, as a new one. */
function takeRows(X: Matrix, rows: Int32Array): Matrix {
  const out = new Float64Array(rows.length * X.cols);
  for (let j = 0; j < X.cols; j++) {
    const from = j * X.rows;
    const to = j * rows.length;
    for (let i = 0; i < rows.length; i++) out[to + i] = X.values[from + rows[i]!]!;
  }
  return { rows: rows.length, cols: X.cols, values: out };
}

/**
 * Train and validation rows, each class split in proportion (its share of ceil(fraction * n)
 * held out, the largest remainders rounded up, never a class's last row), rows drawn at random
 * within each class; both lists in row order.
 */
export function stratifiedSplit(
  y: Int32Array,
  classes: number,
  fraction: number,
  random: () => number,
): [Int32Array, Int32Array] {
  const n = y.length;
  const nVal = Math.ceil(fraction * n);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < n; i++) byClass[y[i]!]!.push(i);
  const take = new Int32Array(classes);
  const remainder: [number, number][] = [];
  let taken = 0;
  for (let c = 0; c < classes; c++) {
    const exact = (byClass[c]!.length * nVal) / n;
    take[c] = Math.min(Math.floor(exact), Math.max(0, byClass[c]!.length - 1));
    taken += take[c]!;
    remainder.push([exact - Math.floor(exact), c]);
  }
  remainder.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, c] of remainder) {
    if (taken >= nVal) break;
    if (take[c]! < byClass[c]!.length - 1) {
      take[c]!++;
      taken++;
    }
  }
  const isVal = new Uint8Array(n);
  for (let c = 0; c < classes; c++) {
    const rows = byClass[c]!;
    for (let k = 0; k < take[c]!; k++) {
      const j = k + Math.floor(random() * (rows.length - k));
      const t = rows[k]!;
      rows[k] = rows[j]!;
      rows[j] = t;
      isVal[rows[k]!] = 1;
    }
  }
  const train = new Int32Array(n - taken);
  const val = new Int32Array(taken);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (isVal[i]) val[b++] = i;
    else train[a++] = i;
  }
  return [train, val];
}

/** Gradients and hessians of the loss at raw scores: g[k * n + i], h[k * n + i]. */
function gradients(raw: Float64Array, y: Int32Array, K: number, g: Float64Array, h: Float64Array): void {
  const n = y.length;
  if (K === 1) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-raw[i]!));
      g[i] = p - y[i]!;
      h[i] = p * (1 - p);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const row = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (raw[row + k]! > max) max = raw[row + k]!;
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(raw[row + k]! - max);
      g[k * n + i] = e;
      sum += e;
    }
    const yi = y[i]!;
    for (let k = 0; k < K; k++) {
      const p = g[k * n + i]! / sum;
      g[k * n + i] = k === yi ? p - 1 : p;
      h[k * n + i] = p * (1 - p);
    }
  }
}

/** Mean log loss (binary) or cross-entropy (softmax) at raw scores. */
function meanLoss(raw: Float64Array, y: Int32Array, K: number): number {
  const n = y.length;
  let total = 0;
  if (K === 1) {
    for (let i = 0; i < n; i++) {
      const r = raw[i]!;
      total += Math.max(r, 0) + Math.log1p(Math.exp(-Math.abs(r))) - y[i]! * r;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const row = i * K;
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (raw[row + k]! > max) max = raw[row + k]!;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(raw[row + k]! - max);
      total += max + Math.log(sum) - raw[row + y[i]!]!;
    }
  }
  return total / n;
}

/** scikit-learn's rule: stop when none of the last nIterNoChange scores beat the one before by tol. */
function shouldStop(scores: number[], nIterNoChange: number, tol: number): boolean {
  const at = nIterNoChange + 1;
  if (scores.length < at) return false;
  const reference = scores[scores.length - at]! + tol;
  for (let k = scores.length - at + 1; k < scores.length; k++) if (scores[k]! > reference) return false;
  return true;
}

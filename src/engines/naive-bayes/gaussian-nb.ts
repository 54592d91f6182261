// Gaussian naive Bayes as scikit-learn's GaussianNB: one mean and one variance per class and
// feature, every variance raised by epsilon = varSmoothing * (largest variance of a feature over
// all rows), priors from the class frequencies. Probabilities are the joint log likelihoods
// normalised with logsumexp, in scikit-learn's order of operations so that they agree with its
// figures to rounding.

import type { Matrix } from '../../ml/matrix.js';
import { decodeF64, encodeArray, type Encoded } from '../encode.js';

export interface GaussianNBParams {
  /** Fraction of the largest feature variance added to every variance (scikit-learn: 1e-9). */
  varSmoothing: number;
}

export const GAUSSIAN_NB_DEFAULTS: GaussianNBParams = { varSmoothing: 1e-9 };

export interface GaussianNBJson {
  kind: 'gaussian-nb';
  params: GaussianNBParams;
  classes: number;
  features: number;
  epsilon: number;
  /** classes x features, row-major. */
  theta: Encoded;
  /** classes x features, row-major, epsilon included. */
  variance: Encoded;
  /** Class frequencies in the training rows. */
  prior: Encoded;
}

const LOG_2PI_FACTOR = 2 * Math.PI;

export class GaussianNBClassifier {
  readonly params: GaussianNBParams;
  private classCount = 0;
  private features = 0;
  private epsilon = 0;
  private theta: Float64Array = new Float64Array(0);
  private variance: Float64Array = new Float64Array(0);
  private prior: Float64Array = new Float64Array(0);
  // Derived from the above: log prior (-Infinity for a class absent from the training rows) and
  // -0.5 * sum(log(2 pi var)) per class.
  private logPrior: Float64Array = new Float64Array(0);
  private logNorm: Float64Array = new Float64Array(0);

  constructor(params: Partial<GaussianNBParams> = {}, _seed = 0) {
    this.params = { ...GAUSSIAN_NB_DEFAULTS, ...params };
    if (!(this.params.varSmoothing >= 0)) throw new Error('varSmoothing must be >= 0');
  }

  fit(X: Matrix, y: Int32Array, classes: number): void {
    const n = X.rows;
    const d = X.cols;
    const v = X.values;
    if (n === 0) throw new Error('GaussianNB needs at least one row');
    if (y.length !== n) throw new Error(`${n} rows but ${y.length} labels`);
    const counts = new Float64Array(classes);
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      if (c < 0 || c >= classes) throw new Error(`label ${c} outside 0..${classes - 1}`);
      counts[c]!++;
    }
    const theta = new Float64Array(classes * d);
    const variance = new Float64Array(classes * d);
    const sums = new Float64Array(classes);
    let maxVar = 0;
    for (let j = 0; j < d; j++) {
      const off = j * n;
      // Two passes per feature, as numpy's mean and mean of squared deviations: the one-pass
      // formula loses digits when a feature's mean is large against its spread.
      sums.fill(0);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const x = v[off + i]!;
        sums[y[i]!]! += x;
        total += x;
      }
      const mean = total / n;
      for (let c = 0; c < classes; c++) theta[c * d + j] = counts[c]! > 0 ? sums[c]! / counts[c]! : 0;
      sums.fill(0);
      let dev = 0;
      for (let i = 0; i < n; i++) {
        const x = v[off + i]!;
        const c = y[i]!;
        const e = x - theta[c * d + j]!;
        sums[c]! += e * e;
        const a = x - mean;
        dev += a * a;
      }
      for (let c = 0; c < classes; c++) variance[c * d + j] = counts[c]! > 0 ? sums[c]! / counts[c]! : 0;
      const featureVar = dev / n;
      if (featureVar > maxVar) maxVar = featureVar;
    }
    // With every feature constant (or varSmoothing 0) scikit-learn divides zero by zero. A floor
    // keeps the terms finite; with all features constant they are then equal across classes and
    // the priors decide.
    let epsilon = this.params.varSmoothing * maxVar;
    if (!(epsilon > 0)) epsilon = maxVar > 0 ? 1e-300 : Math.max(this.params.varSmoothing, 1e-300);
    for (let c = 0; c < classes; c++) {
      for (let j = 0; j < d; j++) {
        // An absent class keeps unit variances: its prior of 0 already rules it out.
        if (counts[c]! > 0) variance[c * d + j]! += epsilon;
        else variance[c * d + j] = 1;
      }
    }
    const prior = new Float64Array(classes);
    for (let c = 0; c < classes; c++) prior[c] = counts[c]! / n;
    this.install(classes, d, epsilon, theta, variance, prior);
  }

  private install(
    classes: number,
    features: number,
    epsilon: number,
    theta: Float64Array,
    variance: Float64Array,
    prior: Float64Array,
  ): void {
    this.classCount = classes;
    this.features = features;
    this.epsilon = epsilon;
    this.theta = theta;
    this.variance = variance;
    this.prior = prior;
    this.logPrior = new Float64Array(classes);
    this.logNorm = new Float64Array(classes);
    for (let c = 0; c < classes; c++) {
      this.logPrior[c] = prior[c]! > 0 ? Math.log(prior[c]!) : -Infinity;
      let s = 0;
      for (let j = 0; j < features; j++) s += Math.log(LOG_2PI_FACTOR * variance[c * features + j]!);
      this.logNorm[c] = -0.5 * s;
    }
  }

  /** log P(c) + log P(x | c), rows x classes, row-major. */
  jointLogLikelihood(X: Matrix): Float64Array {
    this.check(X);
    const n = X.rows;
    const d = this.features;
    const K = this.classCount;
    const v = X.values;
    const out = new Float64Array(n * K);
    const acc = new Float64Array(n);
    for (let c = 0; c < K; c++) {
      acc.fill(0);
      // Feature-major: each pass reads one contiguous column.
      for (let j = 0; j < d; j++) {
        const t = this.theta[c * d + j]!;
        const s2 = this.variance[c * d + j]!;
        const off = j * n;
        for (let i = 0; i < n; i++) {
          const e = v[off + i]! - t;
          acc[i]! += (e * e) / s2;
        }
      }
      const lp = this.logPrior[c]!;
      const ln = this.logNorm[c]!;
      for (let i = 0; i < n; i++) out[i * K + c] = lp + (ln - 0.5 * acc[i]!);
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const jll = this.jointLogLikelihood(X);
    const K = this.classCount;
    for (let i = 0, at = 0; i < X.rows; i++, at += K) {
      let max = -Infinity;
      for (let c = 0; c < K; c++) if (jll[at + c]! > max) max = jll[at + c]!;
      // exp(jll - max) / sum rather than scikit-learn's exp(jll - logsumexp): the same value, but
      // with likelihoods near -1e8 (variances near epsilon) the subtraction of the logsumexp
      // leaves rows that sum to 1 only within 1e-8.
      let sum = 0;
      for (let c = 0; c < K; c++) {
        const e = Math.exp(jll[at + c]! - max);
        jll[at + c] = e;
        sum += e;
      }
      for (let c = 0; c < K; c++) jll[at + c]! /= sum;
    }
    return jll;
  }

  /**
   * scikit-learn's rule: argmax of the joint log likelihood (lowest class on a tie). It equals the
   * argmax of predictProba except where two likelihoods differ by less than the rounding of exp.
   */
  predict(X: Matrix): Int32Array {
    const jll = this.jointLogLikelihood(X);
    const K = this.classCount;
    const out = new Int32Array(X.rows);
    for (let i = 0, at = 0; i < X.rows; i++, at += K) {
      let best = 0;
      let max = jll[at]!;
      for (let c = 1; c < K; c++) {
        if (jll[at + c]! > max) {
          max = jll[at + c]!;
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }

  toJSON(): GaussianNBJson {
    return {
      kind: 'gaussian-nb',
      params: { ...this.params },
      classes: this.classCount,
      features: this.features,
      epsilon: this.epsilon,
      theta: encodeArray(this.theta),
      variance: encodeArray(this.variance),
      prior: encodeArray(this.prior),
    };
  }

  static fromJSON(json: GaussianNBJson): GaussianNBClassifier {
    if (json?.kind !== 'gaussian-nb') throw new Error('not a gaussian-nb model');
    const model = new GaussianNBClassifier(json.params);
    const theta = decodeF64(json.theta);
    const variance = decodeF64(json.variance);
    const prior = decodeF64(json.prior);
    const size = json.classes * json.features;
    if (theta.length !== size || variance.length !== size || prior.length !== json.classes)
      throw new Error('gaussian-nb model arrays do not match its shape');
    model.install(json.classes, json.features, json.epsilon, theta, variance, prior);
    return model;
  }

  private check(X: Matrix): void {
    if (this.classCount === 0) throw new Error('GaussianNB is not fitted');
    if (X.cols !== this.features) throw new Error(`model has ${this.features} features, data has ${X.cols}`);
  }
}

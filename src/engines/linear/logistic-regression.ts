// L2-penalised logistic regression as scikit-learn 1.2's LogisticRegression(solver='lbfgs'),
// multi_class='auto': one weight vector (binomial loss) for two classes, one per class with the
// softmax (multinomial) loss for more. scikit-learn minimises
//   sum_i loss_i + 0.5 / C * ||W||^2      (the intercepts are not penalised)
// from W = 0 with scipy's L-BFGS-B (gtol = tol, maxiter = maxIter, its default ftol); this one
// minimises the same function from the same start with an L-BFGS that follows L-BFGS-B's path
// (see lbfgs.ts). Both stopping tests are on that scale, so they stop at the same place.
//
// Classes absent from y are left out of the fit, as scikit-learn never sees them, and get
// probability 0; with one class present the model predicts it with probability 1.

import type { Matrix } from '../../ml/matrix.js';
import { decodeF64, decodeI32, encodeArray, type Encoded } from '../encode.js';
import { minimizeLbfgs, type LbfgsStatus } from './lbfgs.js';
import { LogisticObjective } from './logistic-objective.js';

export interface LogisticRegressionParams {
  /** Inverse of the L2 penalty strength (scikit-learn: 1). */
  C: number;
  fitIntercept: boolean;
  /** L-BFGS iterations at most (scikit-learn: 100). */
  maxIter: number;
  /** Stop when the largest absolute gradient component is at most this (scikit-learn: 1e-4). */
  tol: number;
}

export const LOGISTIC_REGRESSION_DEFAULTS: LogisticRegressionParams = {
  C: 1,
  fitIntercept: true,
  maxIter: 100,
  tol: 1e-4,
};

export interface LogisticRegressionJson {
  kind: 'logistic-regression';
  params: LogisticRegressionParams;
  classes: number;
  features: number;
  /** The classes seen in y, ascending; the weight vectors are over these. */
  present: Encoded;
  /** vectors x features, row-major (vectors: 1 for two present classes, else one per class). */
  coef: Encoded;
  intercept: Encoded;
  iterations: number;
  status: LbfgsStatus | 'single-class';
}

/** scipy's ftol default for L-BFGS-B, which scikit-learn leaves in place. */
const SCIPY_FTOL = 2.220446049250313e-9;
export class LogisticRegressionClassifier {
  readonly params: LogisticRegressionParams;
  private classCount = 0;
  private features = 0;
  private present: Int32Array = new Int32Array(0);
  private coef: Float64Array = new Float64Array(0);
  private intercept: Float64Array = new Float64Array(0);
  private iterations = 0;
  private status: LogisticRegressionJson['status'] = 'single-class';

  constructor(params: Partial<LogisticRegressionParams> = {}, _seed = 0) {
    this.params = { ...LOGISTIC_REGRESSION_DEFAULTS, ...params };
    const p = this.params;
    if (!(p.C > 0)) throw new Error('C must be > 0');
    if (!(p.maxIter >= 1)) throw new Error('maxIter must be >= 1');
    if (!(p.tol >= 0)) throw new Error('tol must be >= 0');
  }

  fit(X: Matrix, y: Int32Array, classes: number): void {
    const n = X.rows;
    const d = X.cols;
    if (n === 0) throw new Error('LogisticRegression needs at least one row');
    if (y.length !== n) throw new Error(`${n} rows but ${y.length} labels`);
    const seen = new Uint8Array(classes);
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      if (c < 0 || c >= classes) throw new Error(`label ${c} outside 0..${classes - 1}`);
      seen[c] = 1;
    }
    const present: number[] = [];
    for (let c = 0; c < classes; c++) if (seen[c]) present.push(c);
    this.classCount = classes;
    this.features = d;
    this.present = Int32Array.from(present);

    if (present.length === 1) {
      this.coef = new Float64Array(d);
      this.intercept = new Float64Array(1);
      this.iterations = 0;
      this.status = 'single-class';
      return;
    }
    const K = present.length === 2 ? 1 : present.length;
    const position = new Int32Array(classes).fill(-1);
    present.forEach((c, k) => (position[c] = k));
    const target = new Int32Array(n);
    // Binomial: 1 for the larger class index, as scikit-learn's positive class is classes_[1].
    for (let i = 0; i < n; i++) target[i] = position[y[i]!]!;

    const fitIntercept = this.params.fitIntercept;
    const stride = fitIntercept ? d + 1 : d;
    const w = new Float64Array(K * stride);
    const objective = new LogisticObjective(X.values, n, d, K, target, 1 / this.params.C, fitIntercept);
    const result = minimizeLbfgs(objective, w, {
      maxIter: this.params.maxIter,
      pgtol: this.params.tol,
      factr: SCIPY_FTOL,
      memory: 10,
      maxLineSearch: 20,
    });
    this.coef = new Float64Array(K * d);
    this.intercept = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) this.coef[k * d + j] = w[k * stride + j]!;
      this.intercept[k] = fitIntercept ? w[k * stride + d]! : 0;
    }
    this.iterations = result.iterations;
    this.status = result.status;
  }

  /** Weight vectors (vectors x features, row-major), as scikit-learn's coef_. */
  coefficients(): Float64Array {
    return this.coef.slice();
  }
  intercepts(): Float64Array {
    return this.intercept.slice();
  }
  fitInfo(): { iterations: number; status: LogisticRegressionJson['status'] } {
    return { iterations: this.iterations, status: this.status };
  }

  /** rows x vectors, row-major: X W^T + b. */
  decisionFunction(X: Matrix): Float64Array {
    this.check(X);
    const n = X.rows;
    const d = this.features;
    const K = this.intercept.length;
    const v = X.values;
    const out = new Float64Array(n * K);
    for (let k = 0; k < K; k++) {
      const b = this.intercept[k]!;
      for (let i = 0; i < n; i++) out[i * K + k] = b;
    }
    for (let j = 0; j < d; j++) {
      const off = j * n;
      for (let k = 0; k < K; k++) {
        const wj = this.coef[k * d + j]!;
        for (let i = 0; i < n; i++) out[i * K + k]! += v[off + i]! * wj;
      }
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const n = X.rows;
    const C = this.classCount;
    const out = new Float64Array(n * C);
    const present = this.present;
    if (present.length === 1) {
      this.check(X);
      for (let i = 0; i < n; i++) out[i * C + present[0]!] = 1;
      return out;
    }
    const z = this.decisionFunction(X);
    const K = this.intercept.length;
    if (K === 1) {
      const c0 = present[0]!;
      const c1 = present[1]!;
      for (let i = 0; i < n; i++) {
        const p = expit(z[i]!);
        out[i * C + c0] = 1 - p;
        out[i * C + c1] = p;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      const o = i * K;
      let max = z[o]!;
      for (let k = 1; k < K; k++) if (z[o + k]! > max) max = z[o + k]!;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[o + k]! - max);
      for (let k = 0; k < K; k++) out[i * C + present[k]!] = Math.exp(z[o + k]! - max) / sum;
    }
    return out;
  }

  /**
   * scikit-learn's rule on the scores: the positive class where the score is > 0 (two classes),
   * else the first largest score. It is the argmax of predictProba except where rounding makes
   * two probabilities equal whose scores differ.
   */
  predict(X: Matrix): Int32Array {
    const n = X.rows;
    const out = new Int32Array(n);
    const present = this.present;
    if (present.length === 1) {
      this.check(X);
      return out.fill(present[0]!);
    }
    const z = this.decisionFunction(X);
    const K = this.intercept.length;
    if (K === 1) {
      for (let i = 0; i < n; i++) out[i] = z[i]! > 0 ? present[1]! : present[0]!;
      return out;
    }
    for (let i = 0; i < n; i++) {
      const o = i * K;
      let best = 0;
      for (let k = 1; k < K; k++) if (z[o + k]! > z[o + best]!) best = k;
      out[i] = present[best]!;
    }
    return out;
  }

  toJSON(): LogisticRegressionJson {
    return {
      kind: 'logistic-regression',
      params: { ...this.params },
      classes: this.classCount,
      features: this.features,
      present: encodeArray(this.present),
      coef: encodeArray(this.coef),
      intercept: encodeArray(this.intercept),
      iterations: this.iterations,
      status: this.status,
    };
  }

  static fromJSON(json: LogisticRegressionJson): LogisticRegressionClassifier {
    if (json?.kind !== 'logistic-regression') throw new Error('not a logistic-regression model');
    const model = new LogisticRegressionClassifier(json.params);
    model.classCount = json.classes;
    model.features = json.features;
    model.present = decodeI32(json.present);
    model.coef = decodeF64(json.coef);
    model.intercept = decodeF64(json.intercept);
    model.iterations = json.iterations;
    model.status = json.status;
    if (model.coef.length !== model.intercept.length * model.features)
      throw new Error('logistic-regression model arrays do not match its shape');
    return model;
  }

  private check(X: Matrix): void {
    if (this.classCount === 0) throw new Error('LogisticRegression is not fitted');
    if (X.cols !== this.features) throw new Error(`model has ${this.features} features, data has ${X.cols}`);
  }
}

/** 1 / (1 + exp(-v)) without overflow. */
function expit(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

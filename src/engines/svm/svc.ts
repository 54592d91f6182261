// C-support vector classification with an RBF kernel, the model scikit-learn's SVC(kernel='rbf')
// fits through libsvm: k(k-1)/2 one-vs-one binary problems on the rows of each pair of classes,
// each solved by SMO (./solver.ts), and prediction by one-vs-one voting, ties to the lowest class.
//
// predict is the vote, as scikit-learn's SVC.predict, and so need not be the argmax of
// predictProba (scikit-learn's predict_proba and predict disagree in the same way).
//
// Probabilities: with `probability: true`, libsvm's recipe (what SVC(probability=True) runs): per
// pair, Platt's sigmoid fitted on decision values from a 5-fold cross-validation inside the pair's
// rows, then Wu-Lin-Weng pairwise coupling. That costs five more fits per pair. With `probability:
// false` (the default, as scikit-learn's) the sigmoids are fitted instead on the final model's
// decision values on its own training rows, which the solver's gradient gives for free: the same
// coupling, no extra fit, but overconfident (in-sample) sigmoids. scikit-learn refuses
// predict_proba in that case; this engine answers it, say so wherever it is reported.

import type { Matrix } from '../../ml/matrix.js';
import { createRandom } from '../../ml/random.js';
import { decodeF64, decodeI32, encodeArray, type Encoded } from '../encode.js';
import { LazyGram, rbfBlock, rowNorms } from './kernel.js';
import { couple, sigmoidPredict, sigmoidTrain } from './probability.js';
import { SmoSolver } from './solver.js';

export interface SvcParams {
  /** Box constraint: the penalty on margin violations. */
  C: number;
  /** 'scale' = 1 / (features * variance of all training values), 'auto' = 1 / features, or a number. */
  gamma: 'scale' | 'auto' | number;
  /** Stopping tolerance on the maximal violating pair's gap. */
  tol: number;
  shrinking: boolean;
  /** Kernel-row cache budget in MB (one solver, reused for every pair). */
  cacheSize: number;
  /** Fit Platt sigmoids on internal 5-fold cross-validation (libsvm's probability=1). */
  probability: boolean;
  /** Iteration cap per binary problem; null: libsvm's max(10^7, 100 * rows). */
  maxIter: number | null;
}

export const SVC_DEFAULTS: SvcParams = {
  C: 1,
  gamma: 'scale',
  tol: 1e-3,
  shrinking: true,
  cacheSize: 200,
  probability: false,
  maxIter: null,
};

export interface SvcJson {
  kind: 'svc';
  version: 1;
  params: SvcParams;
  seed: number;
  classes: number;
  features: number;
  gamma: number;
  /** Class indices seen in training, ascending; pairs run over these. */
  present: Encoded;
  /** Support vectors per present class; the vectors are stored grouped by class in that order. */
  nSV: Encoded;
  /** Support vectors, row-major. */
  sv: Encoded;
  /** libsvm's layout: (present - 1) rows of one coefficient per support vector. */
  svCoef: Encoded;
  rho: Encoded;
  probA: Encoded;
  probB: Encoded;
}

interface PredictWork {
  block: Float64Array;
  blockNorms: Float64Array;
  K: Float64Array;
  dec: Float64Array;
}

const MIN_PROB = 1e-7;
const PREDICT_BLOCK = 64;
const PLATT_FOLDS = 5;

export class SvcClassifier {
  readonly params: SvcParams;
  readonly seed: number;
  private classes = 0;
  private d = 0;
  private gammaValue = 0;
  private present: Int32Array = new Int32Array(0);
  private nSV: Int32Array = new Int32Array(0);
  private svStart: Int32Array = new Int32Array(1);
  private sv: Float64Array = new Float64Array(0);
  private svNorms: Float64Array = new Float64Array(0);
  private svCoef: Float64Array = new Float64Array(0);
  private rho: Float64Array = new Float64Array(0);
  private probA: Float64Array = new Float64Array(0);
  private probB: Float64Array = new Float64Array(0);
  private fitted = false;
  // Without probability folds: each pair's decision values on its own training rows (class a's
  // rows first, `pairPositives[p]` of them), kept until the sigmoids are first needed.
  private trainDecisions: Float64Array | null = null;
  private pairOffsets: Int32Array = new Int32Array(1);
  private pairPositives: Int32Array = new Int32Array(0);

  constructor(params: Partial<SvcParams>, seed: number) {
    this.params = { ...SVC_DEFAULTS, ...params };
    this.seed = seed >>> 0;
    const p = this.params;
    if (!(p.C > 0)) throw new Error(`svm: C must be > 0, got ${p.C}`);
    if (!(p.tol > 0)) throw new Error(`svm: tol must be > 0, got ${p.tol}`);
    if (!(p.cacheSize > 0)) throw new Error(`svm: cacheSize must be > 0 (MB), got ${p.cacheSize}`);
    if (typeof p.gamma === 'number' ? !(p.gamma > 0) : p.gamma !== 'scale' && p.gamma !== 'auto')
      throw new Error(`svm: gamma must be 'scale', 'auto' or a number > 0, got ${String(p.gamma)}`);
    if (p.maxIter !== null && !(p.maxIter >= 1)) throw new Error(`svm: maxIter must be >= 1 or null, got ${p.maxIter}`);
  }

  /** The kernel coefficient the fit used (resolved from 'scale' / 'auto'). */
  get gamma(): number {
    return this.gammaValue;
  }

  /** Number of support vectors of each class index (0 for absent classes). */
  supportCounts(): Int32Array {
    this.assertFitted();
    const out = new Int32Array(this.classes);
    for (let t = 0; t < this.present.length; t++) out[this.present[t]!] = this.nSV[t]!;
    return out;
  }

  fit(X: Matrix, y: Int32Array, classes: number): void {
    const n = X.rows;
    const d = X.cols;
    if (y.length !== n) throw new Error(`svm: ${n} rows but ${y.length} labels`);
    if (n === 0) throw new Error('svm: cannot fit on zero rows');
    const counts = new Int32Array(classes);
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      if (!(c >= 0 && c < classes)) throw new Error(`svm: label ${c} outside 0..${classes - 1}`);
      counts[c]!++;
    }
    const presentList: number[] = [];
    for (let c = 0; c < classes; c++) if (counts[c]! > 0) presentList.push(c);
    const present = Int32Array.from(presentList);
    const m = present.length;
    const slot = new Int32Array(classes).fill(-1);
    for (let t = 0; t < m; t++) slot[present[t]!] = t;

    // Rows grouped by class (stable), row-major: every pair's problem is two contiguous runs.
    const start = new Int32Array(m + 1);
    for (let t = 0; t < m; t++) start[t + 1] = start[t]! + counts[present[t]!]!;
    const order = new Int32Array(n);
    const cursor = start.slice(0, m);
    for (let i = 0; i < n; i++) order[cursor[slot[y[i]!]!]!++] = i;
    // A feature constant over the training rows adds nothing to any distance between them, so
    // the solvers work without it (prediction still uses every feature: a new row may differ there).
    const V = X.values;
    const kept: number[] = [];
    for (let j = 0; j < d; j++) {
      const first = V[j * n]!;
      for (let i = 1; i < n; i++)
        if (V[j * n + i] !== first) {
          kept.push(j);
          break;
        }
    }
    const dk = kept.length;
    const R = new Float64Array(n * dk);
    const norms = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      let s = 0;
      for (let c = 0; c < dk; c++) {
        const v = V[kept[c]! * n + i]!;
        R[k * dk + c] = v;
        s += v * v;
      }
      norms[k] = s;
    }

    this.classes = classes;
    this.d = d;
    this.gammaValue = resolveGamma(this.params.gamma, X);
    this.present = present;
    const P = (m * (m - 1)) / 2;
    this.rho = new Float64Array(P);
    this.probA = new Float64Array(P);
    this.probB = new Float64Array(P);
    this.fitted = true;
    this.trainDecisions = null;
    if (m < 2) {
      this.nSV = new Int32Array(m);
      this.svStart = new Int32Array(m + 1);
      this.sv = new Float64Array(0);
      this.svNorms = new Float64Array(0);
      this.svCoef = new Float64Array(0);
      return;
    }

    let maxPair = 0;
    for (let a = 0; a < m; a++)
      for (let b = a + 1; b < m; b++)
        maxPair = Math.max(maxPair, start[a + 1]! - start[a]! + start[b + 1]! - start[b]!);
    const { C, tol, shrinking, probability } = this.params;
    // Keep the whole kernel matrix when rows recur across problems (several pairs, or the
    // probability folds) and it fits half the cache budget; the solver's row cache gets the rest.
    let cacheBytes = this.params.cacheSize * 1048576;
    let gram: LazyGram | null = null;
    if ((m > 2 || probability) && LazyGram.fits(n, cacheBytes / 2)) {
      gram = new LazyGram(R, norms, n, dk, this.gammaValue);
      cacheBytes -= n * n * 4;
    }
    const solver = new SmoSolver(dk, this.gammaValue, maxPair, cacheBytes);
    const rows = new Int32Array(maxPair);
    const labels = new Int8Array(maxPair);
    const positive = new Uint8Array(maxPair);
    const coef = new Float64Array(maxPair);
    const dec = new Float64Array(maxPair);
    const ab = new Float64Array(2);
    const cv = probability ? new PlattFolds(maxPair, dk, createRandom(this.seed)) : null;
    const pairOffsets = new Int32Array(P + 1);
    const pairPositives = new Int32Array(P);
    for (let a = 0, q = 0; a < m; a++)
      for (let b = a + 1; b < m; b++, q++) {
        pairPositives[q] = start[a + 1]! - start[a]!;
        pairOffsets[q + 1] = pairOffsets[q]! + pairPositives[q]! + start[b + 1]! - start[b]!;
      }
    const trainDecisions = cv === null ? new Float64Array(pairOffsets[P]!) : null;
    const pairCoef: Float64Array[] = [];
    const nonzero = new Uint8Array(n);

    let p = 0;
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m; b++, p++) {
        let l = 0;
        for (let k = start[a]!; k < start[a + 1]!; k++, l++) {
          rows[l] = k;
          labels[l] = 1;
          positive[l] = 1;
        }
        for (let k = start[b]!; k < start[b + 1]!; k++, l++) {
          rows[l] = k;
          labels[l] = -1;
          positive[l] = 0;
        }
        if (cv !== null) {
          cv.fit(solver, gram, R, norms, rows, labels, positive, l, this.params, this.gammaValue, ab);
          this.probA[p] = ab[0]!;
          this.probB[p] = ab[1]!;
        }
        const out = solver.solve(
          R,
          norms,
          rows,
          labels,
          l,
          C,
          tol,
          shrinking,
          maxIterFor(this.params, l),
          coef,
          cv ? null : dec,
          gram,
        );
        this.rho[p] = out.rho;
        if (trainDecisions !== null) trainDecisions.set(dec.subarray(0, l), pairOffsets[p]!);
        pairCoef.push(coef.slice(0, l));
        for (let k = 0; k < l; k++) if (coef[k] !== 0) nonzero[rows[k]!] = 1;
      }
    }

    // Support vectors: rows with a nonzero coefficient in any pair, grouped by class as libsvm stores them.
    const nSV = new Int32Array(m);
    const svIndexOf = new Int32Array(n).fill(-1);
    let total = 0;
    for (let t = 0; t < m; t++)
      for (let k = start[t]!; k < start[t + 1]!; k++)
        if (nonzero[k]) {
          svIndexOf[k] = total++;
          nSV[t]!++;
        }
    const svStart = new Int32Array(m + 1);
    for (let t = 0; t < m; t++) svStart[t + 1] = svStart[t]! + nSV[t]!;
    const sv = new Float64Array(total * d);
    for (let k = 0; k < n; k++) {
      const s = svIndexOf[k]!;
      if (s < 0) continue;
      const i = order[k]!;
      for (let j = 0; j < d; j++) sv[s * d + j] = V[j * n + i]!;
    }
    // Pair (a, b): class a's coefficients in row b-1, class b's in row a.
    const svCoef = new Float64Array((m - 1) * total);
    p = 0;
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m; b++, p++) {
        const pc = pairCoef[p]!;
        const ca = start[a + 1]! - start[a]!;
        for (let k = 0; k < ca; k++) {
          const s = svIndexOf[start[a]! + k]!;
          if (s >= 0) svCoef[(b - 1) * total + s] = pc[k]!;
        }
        const cb = start[b + 1]! - start[b]!;
        for (let k = 0; k < cb; k++) {
          const s = svIndexOf[start[b]! + k]!;
          if (s >= 0) svCoef[a * total + s] = pc[ca + k]!;
        }
      }
    }
    this.nSV = nSV;
    this.svStart = svStart;
    this.sv = sv;
    this.svNorms = new Float64Array(total);
    rowNorms(sv, total, d, this.svNorms);
    this.svCoef = svCoef;
    this.trainDecisions = trainDecisions;
    this.pairOffsets = pairOffsets;
    this.pairPositives = pairPositives;
  }

  /** Fits the in-sample sigmoids of a model trained without probability folds, once. */
  private ensureSigmoids(): void {
    const dec = this.trainDecisions;
    if (dec === null) return;
    const P = this.rho.length;
    const positive = new Uint8Array(dec.length);
    const ab = new Float64Array(2);
    for (let p = 0; p < P; p++) {
      const from = this.pairOffsets[p]!;
      const l = this.pairOffsets[p + 1]! - from;
      positive.fill(0, 0, l).fill(1, 0, this.pairPositives[p]!);
      sigmoidTrain(dec.subarray(from, from + l), positive, l, ab);
      this.probA[p] = ab[0]!;
      this.probB[p] = ab[1]!;
    }
    this.trainDecisions = null;
  }

  /**
   * One-vs-one decision values, rows x pairs row-major, pairs (a, b) of present classes in order
   * (0,1), (0,2), ..., (1,2), ...; positive favours a. This is libsvm's orientation, scikit-learn's
   * decision_function_shape='ovo' for three or more classes (for two, scikit-learn negates it).
   */
  decisionValues(X: Matrix): Float64Array {
    this.assertFitted();
    const P = this.rho.length;
    const out = new Float64Array(X.rows * P);
    const work = this.predictWork(X);
    for (let r0 = 0; r0 < X.rows; r0 += PREDICT_BLOCK) {
      const bm = this.decisionBlock(X, r0, work);
      out.set(work.dec.subarray(0, bm * P), r0 * P);
    }
    return out;
  }

  predict(X: Matrix): Int32Array {
    this.assertFitted();
    const out = new Int32Array(X.rows);
    const m = this.present.length;
    if (m < 2) {
      if (X.cols !== this.d) throw new Error(`svm: fitted on ${this.d} features, got ${X.cols}`);
      out.fill(m === 1 ? this.present[0]! : 0);
      return out;
    }
    const P = this.rho.length;
    const votes = new Int32Array(m);
    const work = this.predictWork(X);
    const dec = work.dec;
    for (let r0 = 0; r0 < X.rows; r0 += PREDICT_BLOCK) {
      const bm = this.decisionBlock(X, r0, work);
      for (let r = 0; r < bm; r++) {
        votes.fill(0);
        for (let a = 0, p = r * P; a < m; a++) for (let b = a + 1; b < m; b++, p++) votes[dec[p]! > 0 ? a : b]!++;
        let best = 0;
        for (let t = 1; t < m; t++) if (votes[t]! > votes[best]!) best = t;
        out[r0 + r] = this.present[best]!;
      }
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    this.assertFitted();
    if (X.cols !== this.d) throw new Error(`svm: fitted on ${this.d} features, got ${X.cols}`);
    const k = this.classes;
    const out = new Float64Array(X.rows * k);
    const m = this.present.length;
    if (m < 2) {
      if (m === 1) for (let i = 0; i < X.rows; i++) out[i * k + this.present[0]!] = 1;
      return out;
    }
    this.ensureSigmoids();
    const P = this.rho.length;
    const r = new Float64Array(m * m);
    const prob = new Float64Array(m);
    const Q = new Float64Array(m * m);
    const Qp = new Float64Array(m);
    const { probA, probB } = this;
    const work = this.predictWork(X);
    const dec = work.dec;
    for (let r0 = 0; r0 < X.rows; r0 += PREDICT_BLOCK) {
      const bm = this.decisionBlock(X, r0, work);
      for (let row = 0; row < bm; row++) {
        for (let a = 0, p = 0; a < m; a++)
          for (let b = a + 1; b < m; b++, p++) {
            const f = dec[row * P + p]!;
            const v = Math.min(Math.max(sigmoidPredict(f, probA[p]!, probB[p]!), MIN_PROB), 1 - MIN_PROB);
            r[a * m + b] = v;
            r[b * m + a] = 1 - v;
          }
        if (m === 2) {
          prob[0] = r[1]!;
          prob[1] = r[2]!;
        } else couple(m, r, prob, Q, Qp);
        // Coupling stops at a tolerance; renormalize so each row sums to 1 to rounding.
        let sum = 0;
        for (let t = 0; t < m; t++) sum += prob[t]!;
        const o = (r0 + row) * k;
        for (let t = 0; t < m; t++) out[o + this.present[t]!] = prob[t]! / sum;
      }
    }
    return out;
  }

  toJSON(): SvcJson {
    this.assertFitted();
    this.ensureSigmoids();
    return {
      kind: 'svc',
      version: 1,
      params: { ...this.params },
      seed: this.seed,
      classes: this.classes,
      features: this.d,
      gamma: this.gammaValue,
      present: encodeArray(this.present),
      nSV: encodeArray(this.nSV),
      sv: encodeArray(this.sv),
      svCoef: encodeArray(this.svCoef),
      rho: encodeArray(this.rho),
      probA: encodeArray(this.probA),
      probB: encodeArray(this.probB),
    };
  }

  static fromJSON(json: SvcJson): SvcClassifier {
    if (json?.kind !== 'svc' || json.version !== 1) throw new Error('svm: not a version 1 svc model');
    const model = new SvcClassifier(json.params, json.seed);
    model.classes = json.classes;
    model.d = json.features;
    model.gammaValue = json.gamma;
    model.present = decodeI32(json.present);
    model.nSV = decodeI32(json.nSV);
    model.sv = decodeF64(json.sv);
    model.svCoef = decodeF64(json.svCoef);
    model.rho = decodeF64(json.rho);
    model.probA = decodeF64(json.probA);
    model.probB = decodeF64(json.probB);
    const m = model.present.length;
    model.svStart = new Int32Array(m + 1);
    for (let t = 0; t < m; t++) model.svStart[t + 1] = model.svStart[t]! + model.nSV[t]!;
    const total = model.svStart[m]!;
    const P = (m * (m - 1)) / 2;
    model.svNorms = new Float64Array(total);
    if (
      model.sv.length !== total * model.d ||
      model.svCoef.length !== Math.max(0, m - 1) * total ||
      model.rho.length !== P
    )
      throw new Error('svm: model arrays do not match their counts');
    rowNorms(model.sv, total, model.d, model.svNorms);
    model.fitted = true;
    return model;
  }

  private predictWork(X: Matrix): PredictWork {
    if (X.cols !== this.d) throw new Error(`svm: fitted on ${this.d} features, got ${X.cols}`);
    const total = this.svStart[this.present.length]!;
    return {
      block: new Float64Array(PREDICT_BLOCK * this.d),
      blockNorms: new Float64Array(PREDICT_BLOCK),
      K: new Float64Array(PREDICT_BLOCK * total),
      dec: new Float64Array(PREDICT_BLOCK * this.rho.length),
    };
  }

  /**
   * Decision values (one per pair) of rows [r0, r0 + block) into work.dec, row-major; returns the
   * number of rows done. Kernel values against every support vector once, then each pair sums
   * over its two classes' vectors.
   */
  private decisionBlock(X: Matrix, r0: number, work: PredictWork): number {
    const n = X.rows;
    const d = this.d;
    const m = this.present.length;
    const P = this.rho.length;
    const total = this.svStart[m]!;
    const { block, blockNorms, K, dec } = work;
    const V = X.values;
    const { svStart, svCoef, rho } = this;
    const bm = Math.min(PREDICT_BLOCK, n - r0);
    for (let j = 0; j < d; j++) {
      const col = j * n + r0;
      for (let r = 0; r < bm; r++) block[r * d + j] = V[col + r]!;
    }
    rowNorms(block, bm, d, blockNorms);
    rbfBlock(block, blockNorms, bm, this.sv, this.svNorms, total, d, this.gammaValue, K);
    for (let r = 0; r < bm; r++) {
      const kr = r * total;
      let p = 0;
      for (let a = 0; a < m; a++) {
        for (let b = a + 1; b < m; b++, p++) {
          let sum = 0;
          const ra = (b - 1) * total;
          for (let s = svStart[a]!; s < svStart[a + 1]!; s++) sum += svCoef[ra + s]! * K[kr + s]!;
          const rb = a * total;
          for (let s = svStart[b]!; s < svStart[b + 1]!; s++) sum += svCoef[rb + s]! * K[kr + s]!;
          dec[r * P + p] = sum - rho[p]!;
        }
      }
    }
    return bm;
  }

  private assertFitted(): void {
    if (!this.fitted) throw new Error('svm: fit() must run before predict(), predictProba() or toJSON()');
  }
}

/**
 * libsvm's probability folds for one pair: a random permutation of the pair's rows cut into five
 * folds; each fold's decision values come from a model fitted on the other four. Buffers are
 * sized once for the largest pair.
 */
class PlattFolds {
  private readonly perm: Int32Array;
  private readonly subRows: Int32Array;
  private readonly subLabels: Int8Array;
  private readonly subCoef: Float64Array;
  private readonly dec: Float64Array;
  private readonly svRows: Float64Array;
  private readonly svNorms: Float64Array;
  private readonly queryNorms: Float64Array;
  private readonly svCoef: Float64Array;
  private readonly queries: Float64Array;
  private readonly K: Float64Array;

  constructor(
    capacity: number,
    private readonly d: number,
    private readonly random: () => number,
  ) {
    this.perm = new Int32Array(capacity);
    this.subRows = new Int32Array(capacity);
    this.subLabels = new Int8Array(capacity);
    this.subCoef = new Float64Array(capacity);
    this.dec = new Float64Array(capacity);
    this.svRows = new Float64Array(capacity * d);
    this.svNorms = new Float64Array(capacity);
    this.queryNorms = new Float64Array(PREDICT_BLOCK);
    this.svCoef = new Float64Array(capacity);
    this.queries = new Float64Array(PREDICT_BLOCK * d);
    this.K = new Float64Array(PREDICT_BLOCK * capacity);
  }

  fit(
    solver: SmoSolver,
    gram: LazyGram | null,
    R: Float64Array,
    norms: Float64Array,
    rows: Int32Array,
    labels: Int8Array,
    positive: Uint8Array,
    l: number,
    params: SvcParams,
    gamma: number,
    out: Float64Array,
  ): void {
    const { perm, subRows, subLabels, subCoef, dec, svRows, svNorms, svCoef, queries, queryNorms, K } = this;
    const d = this.d;
    for (let i = 0; i < l; i++) perm[i] = i;
    for (let i = 0; i < l; i++) {
      const j = i + Math.floor(this.random() * (l - i));
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    for (let f = 0; f < PLATT_FOLDS; f++) {
      const begin = Math.floor((f * l) / PLATT_FOLDS);
      const end = Math.floor(((f + 1) * l) / PLATT_FOLDS);
      let k = 0;
      let nPos = 0;
      for (let j = 0; j < l; j++) {
        if (j >= begin && j < end) continue;
        const src = perm[j]!;
        subRows[k] = rows[src]!;
        subLabels[k] = labels[src]!;
        if (labels[src]! > 0) nPos++;
        k++;
      }
      const nNeg = k - nPos;
      if (nPos === 0 || nNeg === 0) {
        // One class only in the training folds: its sign, as libsvm.
        const v = nPos > 0 ? 1 : nNeg > 0 ? -1 : 0;
        for (let j = begin; j < end; j++) dec[perm[j]!] = v;
        continue;
      }
      const fold = solver.solve(
        R,
        norms,
        subRows,
        subLabels,
        k,
        params.C,
        params.tol,
        params.shrinking,
        maxIterFor(params, k),
        subCoef,
        null,
        gram,
      );
      let count = 0;
      for (let j = 0; j < k; j++) {
        if (subCoef[j] === 0) continue;
        const r = subRows[j]!;
        for (let c = 0; c < d; c++) svRows[count * d + c] = R[r * d + c]!;
        svNorms[count] = norms[r]!;
        svCoef[count++] = subCoef[j]!;
      }
      for (let j0 = begin; j0 < end; j0 += PREDICT_BLOCK) {
        const bm = Math.min(PREDICT_BLOCK, end - j0);
        for (let q = 0; q < bm; q++) {
          const r = rows[perm[j0 + q]!]!;
          for (let c = 0; c < d; c++) queries[q * d + c] = R[r * d + c]!;
          queryNorms[q] = norms[r]!;
        }
        rbfBlock(queries, queryNorms, bm, svRows, svNorms, count, d, gamma, K);
        for (let q = 0; q < bm; q++) {
          let sum = 0;
          for (let s = 0; s < count; s++) sum += svCoef[s]! * K[q * count + s]!;
          dec[perm[j0 + q]!] = sum - fold.rho;
        }
      }
    }
    sigmoidTrain(dec, positive, l, out);
  }
}

function maxIterFor(params: SvcParams, l: number): number {
  return params.maxIter ?? Math.max(10_000_000, 100 * l);
}

/** scikit-learn's gamma: 'scale' uses the variance of every training value (1 if it is 0). */
function resolveGamma(gamma: SvcParams['gamma'], X: Matrix): number {
  if (typeof gamma === 'number') return gamma;
  if (gamma === 'auto') return 1 / X.cols;
  const v = X.values;
  const N = v.length;
  let mean = 0;
  for (let i = 0; i < N; i++) mean += v[i]!;
  mean /= N;
  let ss = 0;
  for (let i = 0; i < N; i++) {
    const e = v[i]! - mean;
    ss += e * e;
  }
  const variance = ss / N;
  return variance === 0 ? 1 : 1 / (X.cols * variance);
}

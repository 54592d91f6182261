// The binary C-SVC dual, solved by SMO the way libsvm solves it (Fan, Chen & Lin, JMLR 2005):
//
//   min 1/2 a'Qa - e'a   subject to  y'a = 0,  0 <= a_i <= C,   Q_ij = y_i y_j K(x_i, x_j)
//
// Working pairs by second-order selection (WSS2), a least-recently-used cache of Q rows kept in
// float32 (as libsvm's Qfloat: half the memory, and the same rounding libsvm's solution carries),
// shrinking of bounded variables with gradient reconstruction, and libsvm's stopping rule: stop when
// the maximal violating pair's gap m(a) - M(a) falls below tol on the whole (unshrunk) problem.
//
// Shrinking permutes the problem: the active variables occupy positions [0, activeSize), and a
// swap of positions moves the row's features, its norm, its cached Q row and one entry of every
// other cached row, so that a Q row over the active set is always one contiguous run of memory.
//
// One solver serves every pair of a multi-class fit (and the probability folds): its buffers are
// sized once for the largest problem and reused, so fitting allocates nothing per pair or per
// iteration.

import { dots8, MAX_FLOATS, type LazyGram } from './kernel.js';

// libsvm's TAU (1e-12), the curvature used when a pair's is not positive, is written as a literal
// where it is used: a module-level constant is a context slot to V8, and merging it with a computed
// double boxes that double on every pass of the loop.
const LOWER = 0;
const UPPER = 1;
const FREE = 2;

export interface SolveOutput {
  rho: number;
  iterations: number;
}

export class SmoSolver {
  private readonly d: number;
  private readonly gamma: number;
  private readonly capacity: number;

  // Per position (permuted by shrinking).
  private readonly X: Float64Array; // row-major, d values per row
  private readonly xsq: Float64Array;
  private readonly QD: Float64Array;
  private readonly G: Float64Array;
  private readonly Gbar: Float64Array;
  private readonly alpha: Float64Array;
  private readonly y: Int8Array;
  private readonly status: Uint8Array;
  private readonly yf: Float64Array; // y as +1.0 / -1.0
  // Membership in libsvm's I_up (alpha can move so that y_t alpha_t grows) and I_low.
  private readonly inUp: Uint8Array;
  private readonly inLow: Uint8Array;
  private readonly activeSet: Int32Array; // original index of the variable at each position
  private readonly globalAt: Int32Array; // training row (index into the source) at each position
  private gram: LazyGram | null = null;
  private l = 0;
  private activeSize = 0;
  private C = 1;
  private unshrink = false;

  // Kernel-row cache: `slots` rows of `l` float32 values in one slab, an LRU list over slots.
  private readonly slab: Float32Array;
  private readonly slotOf: Int32Array; // position -> slot, or -1
  private readonly filled: Int32Array; // position -> how many leading entries of its row are valid
  private readonly slotRow: Int32Array; // slot -> position
  private readonly prev: Int32Array; // LRU list over slots; index `slots` is the sentinel
  private readonly next: Int32Array;
  private readonly freeSlots: Int32Array;
  private freeCount = 0;
  private slots = 0;
  private readonly work = new Int32Array(2);
  private readonly dots = new Float64Array(8);
  // Position swaps of one shrinking pass, applied to the cached rows together at its end.
  private readonly swapLog: Int32Array;
  private swapCount = 0;
  // The first half of working-set selection (the maximal violator over I_up), computed by the
  // previous step's gradient update while it had G[t] in hand; invalid after shrinking.
  private nextValid = false;
  private nextGmax = -Infinity;
  private nextGmaxIdx = -1;

  /** Counts Q-row entries computed (for measurements and tests, not used by the algorithm). */
  kernelEvaluations = 0;

  constructor(d: number, gamma: number, capacity: number, cacheBytes: number) {
    this.d = d;
    this.gamma = gamma;
    capacity = Math.max(2, capacity);
    this.capacity = capacity;
    this.X = new Float64Array(capacity * d);
    this.xsq = new Float64Array(capacity);
    this.QD = new Float64Array(capacity);
    this.G = new Float64Array(capacity);
    this.Gbar = new Float64Array(capacity);
    this.alpha = new Float64Array(capacity);
    this.y = new Int8Array(capacity);
    this.status = new Uint8Array(capacity);
    this.yf = new Float64Array(capacity);
    this.inUp = new Uint8Array(capacity);
    this.inLow = new Uint8Array(capacity);
    this.activeSet = new Int32Array(capacity);
    this.globalAt = new Int32Array(capacity);
    // At least two full rows (the working pair must both be resident), at most the whole matrix.
    const budget = Math.floor(cacheBytes / 4);
    const floats = Math.max(2 * capacity, Math.min(budget, capacity * capacity, MAX_FLOATS));
    this.slab = new Float32Array(floats);
    this.slotOf = new Int32Array(capacity);
    this.filled = new Int32Array(capacity);
    this.slotRow = new Int32Array(capacity + 1);
    this.prev = new Int32Array(capacity + 1);
    this.next = new Int32Array(capacity + 1);
    this.freeSlots = new Int32Array(capacity + 1);
    this.swapLog = new Int32Array(2 * capacity);
  }

  /**
   * Solves one binary problem.
   * @param source row-major features (d per row) that `rows` index into
   * @param norms squared norm of each source row
   * @param rows the problem's rows, `l` of them
   * @param labels +1 / -1 per problem row
   * @param coefOut per problem row, y_i * alpha_i (0 for non-support vectors)
   * @param decisionOut per problem row, the decision value on the training row itself (or null)
   * @param gram the source's lazily kept kernel matrix, or null to compute Q rows here
   */
  solve(
    source: Float64Array,
    norms: Float64Array,
    rows: Int32Array,
    labels: Int8Array,
    l: number,
    C: number,
    tol: number,
    shrinking: boolean,
    maxIter: number,
    coefOut: Float64Array,
    decisionOut: Float64Array | null,
    gram: LazyGram | null,
  ): SolveOutput {
    if (l > this.capacity) throw new Error(`svm: a problem of ${l} rows exceeds the solver's ${this.capacity}`);
    const d = this.d;
    const { X, xsq, QD, G, Gbar, alpha, y, status, activeSet, globalAt } = this;
    this.gram = gram;
    this.l = l;
    this.C = C;
    this.unshrink = false;
    for (let k = 0; k < l; k++) {
      const r = rows[k]!;
      // With a kept kernel matrix the solver never reads features itself.
      if (gram === null) for (let c = 0, from = r * d, to = k * d; c < d; c++) X[to + c] = source[from + c]!;
      globalAt[k] = r;
      xsq[k] = norms[r]!;
      y[k] = labels[k]!;
      this.yf[k] = labels[k]!;
      alpha[k] = 0;
      status[k] = LOWER;
      this.inUp[k] = labels[k]! > 0 ? 1 : 0;
      this.inLow[k] = labels[k]! > 0 ? 0 : 1;
      activeSet[k] = k;
      G[k] = -1;
      Gbar[k] = 0;
    }
    // K(x, x) = exp(-gamma (|x|^2 + |x|^2 - 2 x.x)) is exactly 1: x.x is summed in the same order
    // as the norm, so the difference is exactly 0 (as in libsvm, which computes it the same way).
    QD.fill(1, 0, l);
    this.activeSize = l;
    this.nextValid = false;
    this.resetCache(l);

    let iter = 0;
    let counter = Math.min(l, 1000) + 1;
    const work = this.work;
    while (iter < maxIter) {
      if (--counter === 0) {
        counter = Math.min(l, 1000);
        if (shrinking) {
          this.doShrinking(tol);
          this.nextValid = false;
        }
      }
      if (!this.selectWorkingSet(tol, work)) {
        this.reconstructGradient();
        this.activeSize = l;
        this.nextValid = false;
        if (!this.selectWorkingSet(tol, work)) break;
        counter = 1; // shrink at the next iteration
      }
      iter++;
      const i = work[0]!;
      const j = work[1]!;
      this.step(i, j);
    }
    if (iter >= maxIter && this.activeSize < l) {
      this.reconstructGradient();
      this.activeSize = l;
    }

    const rho = this.calculateRho();
    for (let k = 0; k < l; k++) {
      const original = activeSet[k]!;
      coefOut[original] = alpha[k]! * y[k]!;
      if (decisionOut !== null) decisionOut[original] = y[k]! * (G[k]! + 1) - rho;
    }
    return { rho, iterations: iter };
  }

  /** One SMO step on the pair (i, j): the two-variable subproblem solved analytically, clipped to the box. */
  private step(i: number, j: number): void {
    const { G, Gbar, alpha, y, QD, slab } = this;
    const C = this.C;
    const activeSize = this.activeSize;
    const qi = this.getQ(i, activeSize);
    const qj = this.getQ(j, activeSize);
    const oldAi = alpha[i]!;
    const oldAj = alpha[j]!;
    let ai = oldAi;
    let aj = oldAj;
    if (y[i] !== y[j]) {
      let quad = QD[i]! + QD[j]! + 2 * slab[qi + j]!;
      if (quad <= 0) quad = 1e-12;
      const delta = (-G[i]! - G[j]!) / quad;
      const diff = ai - aj;
      ai += delta;
      aj += delta;
      if (diff > 0) {
        if (aj < 0) {
          aj = 0;
          ai = diff;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = -diff;
      }
      if (diff > 0) {
        if (ai > C) {
          ai = C;
          aj = C - diff;
        }
      } else if (aj > C) {
        aj = C;
        ai = C + diff;
      }
    } else {
      let quad = QD[i]! + QD[j]! - 2 * slab[qi + j]!;
      if (quad <= 0) quad = 1e-12;
      const delta = (G[i]! - G[j]!) / quad;
      const sum = ai + aj;
      ai -= delta;
      aj += delta;
      if (sum > C) {
        if (ai > C) {
          ai = C;
          aj = sum - C;
        }
      } else if (aj < 0) {
        aj = 0;
        ai = sum;
      }
      if (sum > C) {
        if (aj > C) {
          aj = C;
          ai = sum - C;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = sum;
      }
    }
    alpha[i] = ai;
    alpha[j] = aj;

    const dai = ai - oldAi;
    const daj = aj - oldAj;
    const wasUpperI = this.status[i] === UPPER;
    const wasUpperJ = this.status[j] === UPPER;
    this.updateStatus(i);
    this.updateStatus(j);
    // The gradient update, and with it the next selection's maximal violator over I_up.
    const { yf, inUp } = this;
    let gmax = -Infinity;
    let gmaxIdx = -1;
    for (let k = 0; k < activeSize; k++) {
      const g = G[k]! + slab[qi + k]! * dai + slab[qj + k]! * daj;
      G[k] = g;
      const v = -yf[k]! * g;
      if (v >= gmax && inUp[k] === 1) {
        gmax = v;
        gmaxIdx = k;
      }
    }
    this.nextGmax = gmax;
    this.nextGmaxIdx = gmaxIdx;
    this.nextValid = true;
    const l = this.l;
    if (wasUpperI !== (this.status[i] === UPPER)) {
      const q = this.getQ(i, l);
      const s = wasUpperI ? -C : C;
      for (let k = 0; k < l; k++) Gbar[k] = Gbar[k]! + s * slab[q + k]!;
    }
    if (wasUpperJ !== (this.status[j] === UPPER)) {
      const q = this.getQ(j, l);
      const s = wasUpperJ ? -C : C;
      for (let k = 0; k < l; k++) Gbar[k] = Gbar[k]! + s * slab[q + k]!;
    }
  }

  private updateStatus(k: number): void {
    const a = this.alpha[k]!;
    const s = a >= this.C ? UPPER : a <= 0 ? LOWER : FREE;
    this.status[k] = s;
    const positive = this.y[k]! > 0;
    this.inUp[k] = (positive ? s !== UPPER : s !== LOWER) ? 1 : 0;
    this.inLow[k] = (positive ? s !== LOWER : s !== UPPER) ? 1 : 0;
  }

  /**
   * WSS2: i maximizes -y_i grad_i over I_up; j, among the violators with i, maximizes the second-order
   * decrease of the objective. Returns false when the maximal violation is below tol (optimal).
   */
  private selectWorkingSet(tol: number, out: Int32Array): boolean {
    const { G, yf, inUp, inLow, QD, slab } = this;
    const activeSize = this.activeSize;
    // Written on y_t * G_t so that neither loop branches on the label.
    let gmax = -Infinity;
    let gmaxIdx = -1;
    if (this.nextValid) {
      gmax = this.nextGmax;
      gmaxIdx = this.nextGmaxIdx;
    } else {
      for (let t = 0; t < activeSize; t++) {
        const v = -yf[t]! * G[t]!;
        if (v >= gmax && inUp[t] === 1) {
          gmax = v;
          gmaxIdx = t;
        }
      }
    }
    const i = gmaxIdx;
    if (i === -1) return false; // no variable can move up: optimal
    const qi = this.getQ(i, activeSize);
    const yi2 = 2 * yf[i]!;
    const qdi = QD[i]!;
    let gmax2 = -Infinity;
    let gminIdx = -1;
    let objDiffMin = Infinity;
    for (let t = 0; t < activeSize; t++) {
      if (inLow[t] === 0) continue;
      const g = yf[t]! * G[t]!;
      if (g >= gmax2) gmax2 = g;
      const gradDiff = gmax + g;
      if (gradDiff > 0) {
        // QD_i + QD_t - 2 K_it: the curvature along the pair's direction.
        const quad = qdi + QD[t]! - yi2 * yf[t]! * slab[qi + t]!;
        const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : 1e-12);
        if (objDiff <= objDiffMin) {
          gminIdx = t;
          objDiffMin = objDiff;
        }
      }
    }
    if (gmax + gmax2 < tol || gminIdx === -1) return false;
    out[0] = i;
    out[1] = gminIdx;
    return true;
  }

  private beShrunk(k: number, gmax1: number, gmax2: number): boolean {
    const s = this.status[k]!;
    if (s === UPPER) return this.y[k] === 1 ? -this.G[k]! > gmax1 : -this.G[k]! > gmax2;
    if (s === LOWER) return this.y[k] === 1 ? this.G[k]! > gmax2 : this.G[k]! > gmax1;
    return false;
  }

  private doShrinking(tol: number): void {
    const { G, y, status } = this;
    let gmax1 = -Infinity; // max -y_i grad_i over I_up
    let gmax2 = -Infinity; // max  y_i grad_i over I_low
    for (let k = 0; k < this.activeSize; k++) {
      const g = G[k]!;
      if (y[k] === 1) {
        if (status[k] !== UPPER && -g >= gmax1) gmax1 = -g;
        if (status[k] !== LOWER && g >= gmax2) gmax2 = g;
      } else {
        if (status[k] !== UPPER && -g >= gmax2) gmax2 = -g;
        if (status[k] !== LOWER && g >= gmax1) gmax1 = g;
      }
    }
    // Close to the end: unshrink once so that the final iterations see the whole problem.
    if (!this.unshrink && gmax1 + gmax2 <= tol * 10) {
      this.unshrink = true;
      this.reconstructGradient();
      this.activeSize = this.l;
    }
    for (let k = 0; k < this.activeSize; k++) {
      if (!this.beShrunk(k, gmax1, gmax2)) continue;
      this.activeSize--;
      while (this.activeSize > k) {
        if (!this.beShrunk(this.activeSize, gmax1, gmax2)) {
          this.swapIndex(k, this.activeSize);
          break;
        }
        this.activeSize--;
      }
    }
    this.applySwapsToCache();
  }

  /** Gradient of the shrunk variables from Gbar (bounded part) plus the free variables' rows. */
  private reconstructGradient(): void {
    const { G, Gbar, alpha, status, slab } = this;
    const l = this.l;
    const activeSize = this.activeSize;
    if (activeSize === l) return;
    for (let k = activeSize; k < l; k++) G[k] = Gbar[k]! - 1;
    let nFree = 0;
    for (let k = 0; k < activeSize; k++) if (status[k] === FREE) nFree++;
    // Pick the cheaper of row-wise (shrunk rows over the active part) and column-wise (free rows
    // over the shrunk part) accumulation, as libsvm does.
    if (nFree * l > 2 * activeSize * (l - activeSize)) {
      for (let i = activeSize; i < l; i++) {
        const q = this.getQ(i, activeSize);
        let g = G[i]!;
        for (let k = 0; k < activeSize; k++) if (status[k] === FREE) g += alpha[k]! * slab[q + k]!;
        G[i] = g;
      }
    } else {
      for (let i = 0; i < activeSize; i++) {
        if (status[i] !== FREE) continue;
        const q = this.getQ(i, l);
        const a = alpha[i]!;
        for (let k = activeSize; k < l; k++) G[k] = G[k]! + a * slab[q + k]!;
      }
    }
  }

  private calculateRho(): number {
    const { G, y, status } = this;
    let nFree = 0;
    let sumFree = 0;
    let ub = Infinity;
    let lb = -Infinity;
    for (let k = 0; k < this.activeSize; k++) {
      const yG = y[k]! * G[k]!;
      const s = status[k]!;
      if (s === UPPER) {
        if (y[k] === -1) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else if (s === LOWER) {
        if (y[k] === 1) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else {
        nFree++;
        sumFree += yG;
      }
    }
    return nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
  }

  // ---- kernel rows and their cache ----

  private resetCache(l: number): void {
    this.slots = Math.max(2, Math.min(l, Math.floor(this.slab.length / Math.max(1, l))));
    const sentinel = this.slots;
    this.prev[sentinel] = sentinel;
    this.next[sentinel] = sentinel;
    this.slotOf.fill(-1, 0, l);
    this.filled.fill(0, 0, l);
    this.freeCount = 0;
    for (let s = this.slots - 1; s >= 0; s--) this.freeSlots[this.freeCount++] = s;
  }

  private unlink(s: number): void {
    const p = this.prev[s]!;
    const n = this.next[s]!;
    this.next[p] = n;
    this.prev[n] = p;
  }

  private linkNewest(s: number): void {
    const sentinel = this.slots;
    const last = this.prev[sentinel]!;
    this.next[last] = s;
    this.prev[s] = last;
    this.next[s] = sentinel;
    this.prev[sentinel] = s;
  }

  /** Offset in the slab of Q row `i`, its entries [0, len) valid. */
  private getQ(i: number, len: number): number {
    const l = this.l;
    let s = this.slotOf[i]!;
    if (s >= 0) {
      this.unlink(s);
      this.linkNewest(s);
      const have = this.filled[i]!;
      if (have < len) {
        this.fillRow(i, s * l, have, len);
        this.filled[i] = len;
      }
      return s * l;
    }
    if (this.freeCount > 0) {
      s = this.freeSlots[--this.freeCount]!;
    } else {
      s = this.next[this.slots]!; // least recently used
      this.unlink(s);
      const victim = this.slotRow[s]!;
      this.slotOf[victim] = -1;
      this.filled[victim] = 0;
    }
    this.slotOf[i] = s;
    this.slotRow[s] = i;
    this.linkNewest(s);
    this.fillRow(i, s * l, 0, len);
    this.filled[i] = len;
    return s * l;
  }

  /** Q_ij for j in [from, to), eight rows j at a time so each x_i value loaded serves eight dot products. */
  private fillRow(i: number, offset: number, from: number, to: number): void {
    if (this.gram !== null) {
      this.gram.fillQ(this.globalAt[i]!, this.yf[i]!, this.globalAt, this.yf, from, to, this.slab, offset);
      return;
    }
    const { X, xsq, yf, slab, d } = this;
    const g = -this.gamma;
    const pi = i * d;
    const sqi = xsq[i]!;
    const yi = yf[i]!;
    this.kernelEvaluations += to - from;
    let j = from;
    const dots = this.dots;
    for (; j + 7 < to; j += 8) {
      const p0 = j * d;
      dots8(X, pi, p0, p0 + d, p0 + 2 * d, p0 + 3 * d, p0 + 4 * d, p0 + 5 * d, p0 + 6 * d, p0 + 7 * d, d, dots);
      const o = offset + j;
      slab[o] = yi * yf[j]! * Math.exp(g * (sqi + xsq[j]! - 2 * dots[0]!));
      slab[o + 1] = yi * yf[j + 1]! * Math.exp(g * (sqi + xsq[j + 1]! - 2 * dots[1]!));
      slab[o + 2] = yi * yf[j + 2]! * Math.exp(g * (sqi + xsq[j + 2]! - 2 * dots[2]!));
      slab[o + 3] = yi * yf[j + 3]! * Math.exp(g * (sqi + xsq[j + 3]! - 2 * dots[3]!));
      slab[o + 4] = yi * yf[j + 4]! * Math.exp(g * (sqi + xsq[j + 4]! - 2 * dots[4]!));
      slab[o + 5] = yi * yf[j + 5]! * Math.exp(g * (sqi + xsq[j + 5]! - 2 * dots[5]!));
      slab[o + 6] = yi * yf[j + 6]! * Math.exp(g * (sqi + xsq[j + 6]! - 2 * dots[6]!));
      slab[o + 7] = yi * yf[j + 7]! * Math.exp(g * (sqi + xsq[j + 7]! - 2 * dots[7]!));
    }
    for (; j < to; j++) {
      const pj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += X[pi + k]! * X[pj + k]!;
      slab[offset + j] = yi * yf[j]! * Math.exp(g * (sqi + xsq[j]! - 2 * s));
    }
  }

  /**
   * Exchanges positions a and b everywhere: features, per-variable state and the cached rows
   * themselves now; the entries a and b inside every cached row when the pass ends (logged).
   */
  private swapIndex(a: number, b: number): void {
    if (a === b) return;
    if (this.gram === null) {
      const d = this.d;
      const X = this.X;
      for (let k = 0, pa = a * d, pb = b * d; k < d; k++) {
        const t = X[pa + k]!;
        X[pa + k] = X[pb + k]!;
        X[pb + k] = t;
      }
    }
    swapF64(this.xsq, a, b);
    swapF64(this.QD, a, b);
    swapF64(this.G, a, b);
    swapF64(this.Gbar, a, b);
    swapF64(this.alpha, a, b);
    let t = this.y[a]!;
    this.y[a] = this.y[b]!;
    this.y[b] = t;
    t = this.status[a]!;
    this.status[a] = this.status[b]!;
    this.status[b] = t;
    swapF64(this.yf, a, b);
    t = this.inUp[a]!;
    this.inUp[a] = this.inUp[b]!;
    this.inUp[b] = t;
    t = this.inLow[a]!;
    this.inLow[a] = this.inLow[b]!;
    this.inLow[b] = t;
    t = this.activeSet[a]!;
    this.activeSet[a] = this.activeSet[b]!;
    this.activeSet[b] = t;
    t = this.globalAt[a]!;
    this.globalAt[a] = this.globalAt[b]!;
    this.globalAt[b] = t;

    // The rows themselves follow their variables.
    const sa = this.slotOf[a]!;
    const sb = this.slotOf[b]!;
    this.slotOf[a] = sb;
    this.slotOf[b] = sa;
    if (sb >= 0) this.slotRow[sb] = a;
    if (sa >= 0) this.slotRow[sa] = b;
    t = this.filled[a]!;
    this.filled[a] = this.filled[b]!;
    this.filled[b] = t;

    this.swapLog[this.swapCount++] = a;
    this.swapLog[this.swapCount++] = b;
  }

  /**
   * Every cached row exchanges its entries a and b of each logged swap, in order; a row filled
   * past one position of a swap but not the other cannot be repaired cheaply and is dropped.
   * Row by row rather than swap by swap, so that each row stays in cache while its swaps apply.
   */
  private applySwapsToCache(): void {
    const count = this.swapCount;
    if (count === 0) return;
    this.swapCount = 0;
    const log = this.swapLog;
    const l = this.l;
    const slab = this.slab;
    const sentinel = this.slots;
    let s = this.next[sentinel]!;
    while (s !== sentinel) {
      const nextSlot = this.next[s]!;
      const row = this.slotRow[s]!;
      const len = this.filled[row]!;
      const o = s * l;
      for (let e = 0; e < count; e += 2) {
        const a = log[e]!;
        const b = log[e + 1]!;
        const lo = a < b ? a : b;
        const hi = a < b ? b : a;
        if (len <= lo) continue;
        if (len > hi) {
          const v = slab[o + lo]!;
          slab[o + lo] = slab[o + hi]!;
          slab[o + hi] = v;
        } else {
          this.unlink(s);
          this.slotOf[row] = -1;
          this.filled[row] = 0;
          this.freeSlots[this.freeCount++] = s;
          break;
        }
      }
      s = nextSlot;
    }
  }
}

function swapF64(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

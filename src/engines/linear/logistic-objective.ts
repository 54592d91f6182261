// The penalised logistic loss and its gradient, for L-BFGS: sum_i loss_i + 0.5 * lambda * ||W||^2
// (intercepts not penalised). One weight vector (binomial loss) or one per class (multinomial).
//
// Cost per evaluation is the two products Z = X W^T (rows x vectors) and X^T (P - Y). The rows
// are copied once, at construction, into panels of 4 rows with the features interleaved (value of
// row 4p+s, feature j at (p * dp + j) * 4 + s; features padded with zeros to a multiple of 4,
// rows to a multiple of 4). Both products are then register tiles: scores as 4 rows x up to 4
// classes over the features, the gradient as up to 4 classes x 4 features over the rows. The rows
// go by blocks small enough that a block's panels are still in cache when the gradient reads them
// right after the scores. Nothing is allocated per evaluation.

import type { Objective } from './lbfgs.js';

/** Panels per block (256 rows). */
const BLOCK_PANELS = 64;
const BLOCK_ROWS = BLOCK_PANELS * 4;

export class LogisticObjective implements Objective {
  private readonly xp: Float64Array;
  /** Features padded to a multiple of 4. */
  private readonly dp: number;
  private readonly panels: number;
  /** W^T, features x vectors, padded features zero. */
  private readonly wt: Float64Array;
  private readonly bias: Float64Array;
  /** X^T R accumulated over the blocks: vectors x dp. */
  private readonly gx: Float64Array;
  private readonly gb: Float64Array;
  /** The block's scores, then its residuals, row-major (vectors per row). */
  private readonly z: Float64Array;
  /** Parameters per vector: features, +1 with an intercept. */
  readonly stride: number;

  constructor(
    x: Float64Array,
    private readonly n: number,
    private readonly d: number,
    /** Weight vectors: 1 is the binomial loss, more the multinomial one. */
    private readonly vectors: number,
    /** Binomial: 0/1 targets; multinomial: the index of the row's vector. */
    private readonly target: Int32Array,
    private readonly lambda: number,
    private readonly intercept: boolean,
  ) {
    const dp = (d + 3) & ~3;
    const panels = (n + 3) >> 2;
    const xp = new Float64Array(panels * dp * 4);
    for (let j = 0; j < d; j++) {
      const col = j * n;
      for (let i = 0; i < n; i++) xp[((i >> 2) * dp + j) * 4 + (i & 3)] = x[col + i]!;
    }
    this.xp = xp;
    this.dp = dp;
    this.panels = panels;
    this.wt = new Float64Array(dp * vectors);
    this.bias = new Float64Array(vectors);
    this.gx = new Float64Array(vectors * dp);
    this.gb = new Float64Array(vectors);
    this.z = new Float64Array(BLOCK_ROWS * vectors);
    this.stride = intercept ? d + 1 : d;
  }

  evaluate(w: Float64Array, grad: Float64Array): number {
    const { n, d, dp, vectors: K, target, z, wt, bias, gx, gb, xp, stride } = this;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) wt[j * K + k] = w[k * stride + j]!;
      bias[k] = this.intercept ? w[k * stride + d]! : 0;
    }
    gx.fill(0);
    gb.fill(0);
    let loss = 0;
    for (let p0 = 0; p0 < this.panels; p0 += BLOCK_PANELS) {
      const p1 = Math.min(this.panels, p0 + BLOCK_PANELS);
      const i0 = p0 * 4;
      const rows = Math.min(n - i0, BLOCK_ROWS);
      for (let p = p0; p < p1; p++) {
        const po = p * dp * 4;
        const zo = (p - p0) * 4 * K;
        let k0 = 0;
        for (; k0 + 4 <= K; k0 += 4) scores4(xp, po, dp, wt, K, k0, bias, z, zo);
        if (K - k0 === 3) scores3(xp, po, dp, wt, K, k0, bias, z, zo);
        else if (K - k0 === 2) scores2(xp, po, dp, wt, K, k0, bias, z, zo);
        else if (K - k0 === 1) scores1(xp, po, dp, wt, K, k0, bias, z, zo);
      }
      // Loss and residuals P - Y in place of the scores; the padding rows get residual 0.
      if (K === 1) {
        for (let t = 0; t < rows; t++) {
          const v = z[t]!;
          const e = Math.exp(-Math.abs(v));
          const yv = target[i0 + t]!;
          loss += Math.log1p(e) + (v > 0 ? v : 0) - yv * v;
          const r = (v >= 0 ? 1 / (1 + e) : e / (1 + e)) - yv;
          z[t] = r;
          gb[0]! += r;
        }
      } else {
        for (let t = 0, o = 0; t < rows; t++, o += K) {
          let max = z[o]!;
          for (let k = 1; k < K; k++) if (z[o + k]! > max) max = z[o + k]!;
          const yk = target[i0 + t]!;
          const zy = z[o + yk]!;
          let sum = 0;
          for (let k = 0; k < K; k++) {
            const e = Math.exp(z[o + k]! - max);
            z[o + k] = e;
            sum += e;
          }
          loss += max + Math.log(sum) - zy;
          const inv = 1 / sum;
          for (let k = 0; k < K; k++) {
            const r = z[o + k]! * inv - (k === yk ? 1 : 0);
            z[o + k] = r;
            gb[k]! += r;
          }
        }
      }
      z.fill(0, rows * K, (p1 - p0) * 4 * K);
      for (let j0 = 0; j0 < dp; j0 += 4) {
        let k0 = 0;
        for (; k0 + 4 <= K; k0 += 4) grad4(xp, dp, p0, p1, j0, z, K, k0, gx, k0 * dp + j0);
        if (K - k0 === 3) grad3(xp, dp, p0, p1, j0, z, K, k0, gx, k0 * dp + j0);
        else if (K - k0 === 2) grad2(xp, dp, p0, p1, j0, z, K, k0, gx, k0 * dp + j0);
        else if (K - k0 === 1) grad1(xp, dp, p0, p1, j0, z, K, k0, gx, k0 * dp + j0);
      }
    }
    const lambda = this.lambda;
    let norm = 0;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) {
        const v = w[k * stride + j]!;
        norm += v * v;
        grad[k * stride + j] = gx[k * dp + j]! + lambda * v;
      }
      if (this.intercept) grad[k * stride + d] = gb[k]!;
    }
    return loss + 0.5 * lambda * norm;
  }
}

// The register-tile kernels, one per width of the class group (4, 3, 2, 1): unrolled by hand,
// accumulators in locals, as JavaScript has no SIMD and V8 keeps these in registers.

/** Scores of one 4-row panel for classes [k0, k0 + 4): 4 x 4 accumulators. */
function scores4(
  xp: Float64Array,
  po: number,
  dp: number,
  wt: Float64Array,
  K: number,
  k0: number,
  bias: Float64Array,
  z: Float64Array,
  zo: number,
): void {
  const b0 = bias[k0 + 0]!;
  const b1 = bias[k0 + 1]!;
  const b2 = bias[k0 + 2]!;
  const b3 = bias[k0 + 3]!;
  let a00 = b0,
    a01 = b1,
    a02 = b2,
    a03 = b3,
    a10 = b0,
    a11 = b1,
    a12 = b2,
    a13 = b3,
    a20 = b0,
    a21 = b1,
    a22 = b2,
    a23 = b3,
    a30 = b0,
    a31 = b1,
    a32 = b2,
    a33 = b3;
  for (let j = 0, xo = po, wo = k0; j < dp; j++, xo += 4, wo += K) {
    const x0 = xp[xo + 0]!,
      x1 = xp[xo + 1]!,
      x2 = xp[xo + 2]!,
      x3 = xp[xo + 3]!;
    const w0 = wt[wo + 0]!,
      w1 = wt[wo + 1]!,
      w2 = wt[wo + 2]!,
      w3 = wt[wo + 3]!;
    a00 += x0 * w0;
    a01 += x0 * w1;
    a02 += x0 * w2;
    a03 += x0 * w3;
    a10 += x1 * w0;
    a11 += x1 * w1;
    a12 += x1 * w2;
    a13 += x1 * w3;
    a20 += x2 * w0;
    a21 += x2 * w1;
    a22 += x2 * w2;
    a23 += x2 * w3;
    a30 += x3 * w0;
    a31 += x3 * w1;
    a32 += x3 * w2;
    a33 += x3 * w3;
  }
  z[zo + 0 * K + k0 + 0] = a00;
  z[zo + 0 * K + k0 + 1] = a01;
  z[zo + 0 * K + k0 + 2] = a02;
  z[zo + 0 * K + k0 + 3] = a03;
  z[zo + 1 * K + k0 + 0] = a10;
  z[zo + 1 * K + k0 + 1] = a11;
  z[zo + 1 * K + k0 + 2] = a12;
  z[zo + 1 * K + k0 + 3] = a13;
  z[zo + 2 * K + k0 + 0] = a20;
  z[zo + 2 * K + k0 + 1] = a21;
  z[zo + 2 * K + k0 + 2] = a22;
  z[zo + 2 * K + k0 + 3] = a23;
  z[zo + 3 * K + k0 + 0] = a30;
  z[zo + 3 * K + k0 + 1] = a31;
  z[zo + 3 * K + k0 + 2] = a32;
  z[zo + 3 * K + k0 + 3] = a33;
}

/** Scores of one 4-row panel for classes [k0, k0 + 3): 4 x 3 accumulators. */
function scores3(
  xp: Float64Array,
  po: number,
  dp: number,
  wt: Float64Array,
  K: number,
  k0: number,
  bias: Float64Array,
  z: Float64Array,
  zo: number,
): void {
  const b0 = bias[k0 + 0]!;
  const b1 = bias[k0 + 1]!;
  const b2 = bias[k0 + 2]!;
  let a00 = b0,
    a01 = b1,
    a02 = b2,
    a10 = b0,
    a11 = b1,
    a12 = b2,
    a20 = b0,
    a21 = b1,
    a22 = b2,
    a30 = b0,
    a31 = b1,
    a32 = b2;
  for (let j = 0, xo = po, wo = k0; j < dp; j++, xo += 4, wo += K) {
    const x0 = xp[xo + 0]!,
      x1 = xp[xo + 1]!,
      x2 = xp[xo + 2]!,
      x3 = xp[xo + 3]!;
    const w0 = wt[wo + 0]!,
      w1 = wt[wo + 1]!,
      w2 = wt[wo + 2]!;
    a00 += x0 * w0;
    a01 += x0 * w1;
    a02 += x0 * w2;
    a10 += x1 * w0;
    a11 += x1 * w1;
    a12 += x1 * w2;
    a20 += x2 * w0;
    a21 += x2 * w1;
    a22 += x2 * w2;
    a30 += x3 * w0;
    a31 += x3 * w1;
    a32 += x3 * w2;
  }
  z[zo + 0 * K + k0 + 0] = a00;
  z[zo + 0 * K + k0 + 1] = a01;
  z[zo + 0 * K + k0 + 2] = a02;
  z[zo + 1 * K + k0 + 0] = a10;
  z[zo + 1 * K + k0 + 1] = a11;
  z[zo + 1 * K + k0 + 2] = a12;
  z[zo + 2 * K + k0 + 0] = a20;
  z[zo + 2 * K + k0 + 1] = a21;
  z[zo + 2 * K + k0 + 2] = a22;
  z[zo + 3 * K + k0 + 0] = a30;
  z[zo + 3 * K + k0 + 1] = a31;
  z[zo + 3 * K + k0 + 2] = a32;
}

/** Scores of one 4-row panel for classes [k0, k0 + 2): 4 x 2 accumulators. */
function scores2(
  xp: Float64Array,
  po: number,
  dp: number,
  wt: Float64Array,
  K: number,
  k0: number,
  bias: Float64Array,
  z: Float64Array,
  zo: number,
): void {
  const b0 = bias[k0 + 0]!;
  const b1 = bias[k0 + 1]!;
  let a00 = b0,
    a01 = b1,
    a10 = b0,
    a11 = b1,
    a20 = b0,
    a21 = b1,
    a30 = b0,
    a31 = b1;
  for (let j = 0, xo = po, wo = k0; j < dp; j++, xo += 4, wo += K) {
    const x0 = xp[xo + 0]!,
      x1 = xp[xo + 1]!,
      x2 = xp[xo + 2]!,
      x3 = xp[xo + 3]!;
    const w0 = wt[wo + 0]!,
      w1 = wt[wo + 1]!;
    a00 += x0 * w0;
    a01 += x0 * w1;
    a10 += x1 * w0;
    a11 += x1 * w1;
    a20 += x2 * w0;
    a21 += x2 * w1;
    a30 += x3 * w0;
    a31 += x3 * w1;
  }
  z[zo + 0 * K + k0 + 0] = a00;
  z[zo + 0 * K + k0 + 1] = a01;
  z[zo + 1 * K + k0 + 0] = a10;
  z[zo + 1 * K + k0 + 1] = a11;
  z[zo + 2 * K + k0 + 0] = a20;
  z[zo + 2 * K + k0 + 1] = a21;
  z[zo + 3 * K + k0 + 0] = a30;
  z[zo + 3 * K + k0 + 1] = a31;
}

/** Scores of one 4-row panel for classes [k0, k0 + 1): 4 x 1 accumulators. */
function scores1(
  xp: Float64Array,
  po: number,
  dp: number,
  wt: Float64Array,
  K: number,
  k0: number,
  bias: Float64Array,
  z: Float64Array,
  zo: number,
): void {
  const b0 = bias[k0 + 0]!;
  let a00 = b0,
    a10 = b0,
    a20 = b0,
    a30 = b0;
  for (let j = 0, xo = po, wo = k0; j < dp; j++, xo += 4, wo += K) {
    const x0 = xp[xo + 0]!,
      x1 = xp[xo + 1]!,
      x2 = xp[xo + 2]!,
      x3 = xp[xo + 3]!;
    const w0 = wt[wo + 0]!;
    a00 += x0 * w0;
    a10 += x1 * w0;
    a20 += x2 * w0;
    a30 += x3 * w0;
  }
  z[zo + 0 * K + k0 + 0] = a00;
  z[zo + 1 * K + k0 + 0] = a10;
  z[zo + 2 * K + k0 + 0] = a20;
  z[zo + 3 * K + k0 + 0] = a30;
}

/**
 * X^T R for classes [k0, k0 + 4) and features [j0, j0 + 4) over panels [p0, p1): 4 x 4
 * accumulators over the rows, added at gx[go + class * dp + feature]. r holds the block's
 * residuals, K per row, starting with panel p0's first row.
 */
function grad4(
  xp: Float64Array,
  dp: number,
  p0: number,
  p1: number,
  j0: number,
  r: Float64Array,
  K: number,
  k0: number,
  gx: Float64Array,
  go: number,
): void {
  let g00 = 0,
    g01 = 0,
    g02 = 0,
    g03 = 0,
    g10 = 0,
    g11 = 0,
    g12 = 0,
    g13 = 0,
    g20 = 0,
    g21 = 0,
    g22 = 0,
    g23 = 0,
    g30 = 0,
    g31 = 0,
    g32 = 0,
    g33 = 0;
  for (let p = p0, ro = k0; p < p1; p++, ro += 4 * K) {
    const xo = (p * dp + j0) * 4;
    let r0: number, r1: number, r2: number, r3: number, x0: number, x1: number, x2: number, x3: number;
    r0 = r[ro + 0 * K + 0]!;
    r1 = r[ro + 0 * K + 1]!;
    r2 = r[ro + 0 * K + 2]!;
    r3 = r[ro + 0 * K + 3]!;
    x0 = xp[xo + 0]!;
    x1 = xp[xo + 4]!;
    x2 = xp[xo + 8]!;
    x3 = xp[xo + 12]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    g20 += r2 * x0;
    g21 += r2 * x1;
    g22 += r2 * x2;
    g23 += r2 * x3;
    g30 += r3 * x0;
    g31 += r3 * x1;
    g32 += r3 * x2;
    g33 += r3 * x3;
    r0 = r[ro + 1 * K + 0]!;
    r1 = r[ro + 1 * K + 1]!;
    r2 = r[ro + 1 * K + 2]!;
    r3 = r[ro + 1 * K + 3]!;
    x0 = xp[xo + 1]!;
    x1 = xp[xo + 5]!;
    x2 = xp[xo + 9]!;
    x3 = xp[xo + 13]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    g20 += r2 * x0;
    g21 += r2 * x1;
    g22 += r2 * x2;
    g23 += r2 * x3;
    g30 += r3 * x0;
    g31 += r3 * x1;
    g32 += r3 * x2;
    g33 += r3 * x3;
    r0 = r[ro + 2 * K + 0]!;
    r1 = r[ro + 2 * K + 1]!;
    r2 = r[ro + 2 * K + 2]!;
    r3 = r[ro + 2 * K + 3]!;
    x0 = xp[xo + 2]!;
    x1 = xp[xo + 6]!;
    x2 = xp[xo + 10]!;
    x3 = xp[xo + 14]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    g20 += r2 * x0;
    g21 += r2 * x1;
    g22 += r2 * x2;
    g23 += r2 * x3;
    g30 += r3 * x0;
    g31 += r3 * x1;
    g32 += r3 * x2;
    g33 += r3 * x3;
    r0 = r[ro + 3 * K + 0]!;
    r1 = r[ro + 3 * K + 1]!;
    r2 = r[ro + 3 * K + 2]!;
    r3 = r[ro + 3 * K + 3]!;
    x0 = xp[xo + 3]!;
    x1 = xp[xo + 7]!;
    x2 = xp[xo + 11]!;
    x3 = xp[xo + 15]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    g20 += r2 * x0;
    g21 += r2 * x1;
    g22 += r2 * x2;
    g23 += r2 * x3;
    g30 += r3 * x0;
    g31 += r3 * x1;
    g32 += r3 * x2;
    g33 += r3 * x3;
  }
  gx[go + 0 * dp + 0]! += g00;
  gx[go + 0 * dp + 1]! += g01;
  gx[go + 0 * dp + 2]! += g02;
  gx[go + 0 * dp + 3]! += g03;
  gx[go + 1 * dp + 0]! += g10;
  gx[go + 1 * dp + 1]! += g11;
  gx[go + 1 * dp + 2]! += g12;
  gx[go + 1 * dp + 3]! += g13;
  gx[go + 2 * dp + 0]! += g20;
  gx[go + 2 * dp + 1]! += g21;
  gx[go + 2 * dp + 2]! += g22;
  gx[go + 2 * dp + 3]! += g23;
  gx[go + 3 * dp + 0]! += g30;
  gx[go + 3 * dp + 1]! += g31;
  gx[go + 3 * dp + 2]! += g32;
  gx[go + 3 * dp + 3]! += g33;
}

/**
 * X^T R for classes [k0, k0 + 3) and features [j0, j0 + 4) over panels [p0, p1): 3 x 4
 * accumulators over the rows, added at gx[go + class * dp + feature]. r holds the block's
 * residuals, K per row, starting with panel p0's first row.
 */
function grad3(
  xp: Float64Array,
  dp: number,
  p0: number,
  p1: number,
  j0: number,
  r: Float64Array,
  K: number,
  k0: number,
  gx: Float64Array,
  go: number,
): void {
  let g00 = 0,
    g01 = 0,
    g02 = 0,
    g03 = 0,
    g10 = 0,
    g11 = 0,
    g12 = 0,
    g13 = 0,
    g20 = 0,
    g21 = 0,
    g22 = 0,
    g23 = 0;
  for (let p = p0, ro = k0; p < p1; p++, ro += 4 * K) {
    const xo = (p * dp + j0) * 4;
    let r0: number, r1: number, r2: number, x0: number, x1: number, x2: number, x3: number;
    r0 = r[ro + 0 * K + 0]!;
    r1 = r[ro + 0 * K + 1]!;
    r2 = r[ro + 0 * K + 2]!;
    x0 = xp[xo + 0]!;
    x1 = xp[xo + 4]!;
    x2 = xp[xo + 8]!;
    x3 = xp[xo + 12]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    g20 += r2 * x0;
    g21 += r2 * x1;
    g22 += r2 * x2;
    g23 += r2 * x3;
    r0 = r[ro + 1 * K + 0]!;
    r1 = r[ro + 1 * K + 1]!;
    r2 = r[ro + 1 * K + 2]!;
    x0 = xp[xo + 1]!;
    x1 = xp[xo + 5]!;
    x2 = xp[xo + 9]!;
    x3 = xp[xo + 13]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    g20 += r2 * x0;
    g21 += r2 * x1;
    g22 += r2 * x2;
    g23 += r2 * x3;
    r0 = r[ro + 2 * K + 0]!;
    r1 = r[ro + 2 * K + 1]!;
    r2 = r[ro + 2 * K + 2]!;
    x0 = xp[xo + 2]!;
    x1 = xp[xo + 6]!;
    x2 = xp[xo + 10]!;
    x3 = xp[xo + 14]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    g20 += r2 * x0;
    g21 += r2 * x1;
    g22 += r2 * x2;
    g23 += r2 * x3;
    r0 = r[ro + 3 * K + 0]!;
    r1 = r[ro + 3 * K + 1]!;
    r2 = r[ro + 3 * K + 2]!;
    x0 = xp[xo + 3]!;
    x1 = xp[xo + 7]!;
    x2 = xp[xo + 11]!;
    x3 = xp[xo + 15]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    g20 += r2 * x0;
    g21 += r2 * x1;
    g22 += r2 * x2;
    g23 += r2 * x3;
  }
  gx[go + 0 * dp + 0]! += g00;
  gx[go + 0 * dp + 1]! += g01;
  gx[go + 0 * dp + 2]! += g02;
  gx[go + 0 * dp + 3]! += g03;
  gx[go + 1 * dp + 0]! += g10;
  gx[go + 1 * dp + 1]! += g11;
  gx[go + 1 * dp + 2]! += g12;
  gx[go + 1 * dp + 3]! += g13;
  gx[go + 2 * dp + 0]! += g20;
  gx[go + 2 * dp + 1]! += g21;
  gx[go + 2 * dp + 2]! += g22;
  gx[go + 2 * dp + 3]! += g23;
}

/**
 * X^T R for classes [k0, k0 + 2) and features [j0, j0 + 4) over panels [p0, p1): 2 x 4
 * accumulators over the rows, added at gx[go + class * dp + feature]. r holds the block's
 * residuals, K per row, starting with panel p0's first row.
 */
function grad2(
  xp: Float64Array,
  dp: number,
  p0: number,
  p1: number,
  j0: number,
  r: Float64Array,
  K: number,
  k0: number,
  gx: Float64Array,
  go: number,
): void {
  let g00 = 0,
    g01 = 0,
    g02 = 0,
    g03 = 0,
    g10 = 0,
    g11 = 0,
    g12 = 0,
    g13 = 0;
  for (let p = p0, ro = k0; p < p1; p++, ro += 4 * K) {
    const xo = (p * dp + j0) * 4;
    let r0: number, r1: number, x0: number, x1: number, x2: number, x3: number;
    r0 = r[ro + 0 * K + 0]!;
    r1 = r[ro + 0 * K + 1]!;
    x0 = xp[xo + 0]!;
    x1 = xp[xo + 4]!;
    x2 = xp[xo + 8]!;
    x3 = xp[xo + 12]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    r0 = r[ro + 1 * K + 0]!;
    r1 = r[ro + 1 * K + 1]!;
    x0 = xp[xo + 1]!;
    x1 = xp[xo + 5]!;
    x2 = xp[xo + 9]!;
    x3 = xp[xo + 13]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    r0 = r[ro + 2 * K + 0]!;
    r1 = r[ro + 2 * K + 1]!;
    x0 = xp[xo + 2]!;
    x1 = xp[xo + 6]!;
    x2 = xp[xo + 10]!;
    x3 = xp[xo + 14]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
    r0 = r[ro + 3 * K + 0]!;
    r1 = r[ro + 3 * K + 1]!;
    x0 = xp[xo + 3]!;
    x1 = xp[xo + 7]!;
    x2 = xp[xo + 11]!;
    x3 = xp[xo + 15]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    g10 += r1 * x0;
    g11 += r1 * x1;
    g12 += r1 * x2;
    g13 += r1 * x3;
  }
  gx[go + 0 * dp + 0]! += g00;
  gx[go + 0 * dp + 1]! += g01;
  gx[go + 0 * dp + 2]! += g02;
  gx[go + 0 * dp + 3]! += g03;
  gx[go + 1 * dp + 0]! += g10;
  gx[go + 1 * dp + 1]! += g11;
  gx[go + 1 * dp + 2]! += g12;
  gx[go + 1 * dp + 3]! += g13;
}

/**
 * X^T R for classes [k0, k0 + 1) and features [j0, j0 + 4) over panels [p0, p1): 1 x 4
 * accumulators over the rows, added at gx[go + class * dp + feature]. r holds the block's
 * residuals, K per row, starting with panel p0's first row.
 */
function grad1(
  xp: Float64Array,
  dp: number,
  p0: number,
  p1: number,
  j0: number,
  r: Float64Array,
  K: number,
  k0: number,
  gx: Float64Array,
  go: number,
): void {
  let g00 = 0,
    g01 = 0,
    g02 = 0,
    g03 = 0;
  for (let p = p0, ro = k0; p < p1; p++, ro += 4 * K) {
    const xo = (p * dp + j0) * 4;
    let r0: number, x0: number, x1: number, x2: number, x3: number;
    r0 = r[ro + 0 * K + 0]!;
    x0 = xp[xo + 0]!;
    x1 = xp[xo + 4]!;
    x2 = xp[xo + 8]!;
    x3 = xp[xo + 12]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    r0 = r[ro + 1 * K + 0]!;
    x0 = xp[xo + 1]!;
    x1 = xp[xo + 5]!;
    x2 = xp[xo + 9]!;
    x3 = xp[xo + 13]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    r0 = r[ro + 2 * K + 0]!;
    x0 = xp[xo + 2]!;
    x1 = xp[xo + 6]!;
    x2 = xp[xo + 10]!;
    x3 = xp[xo + 14]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
    r0 = r[ro + 3 * K + 0]!;
    x0 = xp[xo + 3]!;
    x1 = xp[xo + 7]!;
    x2 = xp[xo + 11]!;
    x3 = xp[xo + 15]!;
    g00 += r0 * x0;
    g01 += r0 * x1;
    g02 += r0 * x2;
    g03 += r0 * x3;
  }
  gx[go + 0 * dp + 0]! += g00;
  gx[go + 0 * dp + 1]! += g01;
  gx[go + 0 * dp + 2]! += g02;
  gx[go + 0 * dp + 3]! += g03;
}

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
        for (let k0 = 0; k0 < K; k0 += 4) SCORES[Math.min(4, K - k0)]!(xp, po, dp, wt, K, k0, bias, z, zo);
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
        for (let k0 = 0; k0 < K; k0 += 4) GRAD[Math.min(4, K - k0)]!(xp, dp, p0, p1, j0, z, K, k0, gx, k0 * dp + j0);
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

// The register-tile kernels, one per width of the class group (4, 3, 2, 1), fully unrolled with
// every accumulator in a local, which V8 keeps in registers (JavaScript has no SIMD). They are
// generated, once, from one description each: eight hand-unrolled copies of the same loop would
// differ only in their widths.

type ScoresKernel = (
  xp: Float64Array,
  po: number,
  dp: number,
  wt: Float64Array,
  K: number,
  k0: number,
  bias: Float64Array,
  z: Float64Array,
  zo: number,
) => void;

type GradKernel = (
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
) => void;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const lines = (n: number, line: (i: number) => string) => range(n).map(line).join('\n');

/**
 * Scores of one 4-row panel for classes [k0, k0 + width): 4 x width accumulators over the
 * features, started at the classes' intercepts.
 */
function scoresKernel(width: number): ScoresKernel {
  const acc = range(4).flatMap((row) => range(width).map((c) => [row, c] as const));
  const body = `
${lines(width, (c) => `const b${c} = bias[k0 + ${c}];`)}
${acc.map(([row, c]) => `let a${row}${c} = b${c};`).join('\n')}
for (let j = 0, xo = po, wo = k0; j < dp; j++, xo += 4, wo += K) {
  ${lines(4, (row) => `const x${row} = xp[xo + ${row}];`)}
  ${lines(width, (c) => `const w${c} = wt[wo + ${c}];`)}
  ${acc.map(([row, c]) => `a${row}${c} += x${row} * w${c};`).join('\n')}
}
${acc.map(([row, c]) => `z[zo + ${row} * K + k0 + ${c}] = a${row}${c};`).join('\n')}`;
  return new Function('xp', 'po', 'dp', 'wt', 'K', 'k0', 'bias', 'z', 'zo', body) as ScoresKernel;
}

/**
 * X^T R for classes [k0, k0 + width) and features [j0, j0 + 4) over panels [p0, p1): width x 4
 * accumulators over the rows, added at gx[go + class * dp + feature]. r holds the block's
 * residuals, K per row, starting with panel p0's first row.
 */
function gradKernel(width: number): GradKernel {
  const acc = range(width).flatMap((c) => range(4).map((f) => [c, f] as const));
  const row = (s: number) => `
  ${lines(width, (c) => `r${c} = r[ro + ${s} * K + ${c}];`)}
  ${lines(4, (f) => `x${f} = xp[xo + ${s + 4 * f}];`)}
  ${acc.map(([c, f]) => `g${c}${f} += r${c} * x${f};`).join('\n')}`;
  const body = `
${acc.map(([c, f]) => `let g${c}${f} = 0;`).join('\n')}
for (let p = p0, ro = k0; p < p1; p++, ro += 4 * K) {
  const xo = (p * dp + j0) * 4;
  let ${[...range(width).map((c) => `r${c}`), ...range(4).map((f) => `x${f}`)].join(', ')};
  ${range(4).map(row).join('\n')}
}
${acc.map(([c, f]) => `gx[go + ${c} * dp + ${f}] += g${c}${f};`).join('\n')}`;
  return new Function('xp', 'dp', 'p0', 'p1', 'j0', 'r', 'K', 'k0', 'gx', 'go', body) as GradKernel;
}

/** By width: index 1..4. */
const SCORES: readonly ScoresKernel[] = [
  scoresKernel(1),
  scoresKernel(1),
  scoresKernel(2),
  scoresKernel(3),
  scoresKernel(4),
];
const GRAD: readonly GradKernel[] = [gradKernel(1), gradKernel(1), gradKernel(2), gradKernel(3), gradKernel(4)];

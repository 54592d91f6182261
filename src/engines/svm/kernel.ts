// RBF kernel values between a block of query rows and a set of stored rows, both row-major, from
// squared norms and dot products: exp(-gamma (|q|^2 + |s|^2 - 2 q.s)), as libsvm computes the
// training kernel. Two query rows by four stored rows at a time: eight independent sums, and each
// value loaded serves two or four of them.

/** out[r * count + s] = K(queries row r, rows[s]) for r < m, s < count. */
export function rbfBlock(
  queries: Float64Array,
  queryNorms: Float64Array,
  m: number,
  rows: Float64Array,
  rowNorms: Float64Array,
  count: number,
  d: number,
  gamma: number,
  out: Float64Array,
): void {
  const g = -gamma;
  let r = 0;
  for (; r + 1 < m; r += 2) {
    const pa = r * d;
    const pb = pa + d;
    const na = queryNorms[r]!;
    const nb = queryNorms[r + 1]!;
    const oa = r * count;
    const ob = oa + count;
    let s = 0;
    for (; s + 3 < count; s += 4) {
      const p0 = s * d;
      const p1 = p0 + d;
      const p2 = p1 + d;
      const p3 = p2 + d;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let k = 0; k < d; k++) {
        const x = queries[pa + k]!;
        const z = queries[pb + k]!;
        const v0 = rows[p0 + k]!;
        const v1 = rows[p1 + k]!;
        const v2 = rows[p2 + k]!;
        const v3 = rows[p3 + k]!;
        a0 += x * v0;
        a1 += x * v1;
        a2 += x * v2;
        a3 += x * v3;
        b0 += z * v0;
        b1 += z * v1;
        b2 += z * v2;
        b3 += z * v3;
      }
      const n0 = rowNorms[s]!;
      const n1 = rowNorms[s + 1]!;
      const n2 = rowNorms[s + 2]!;
      const n3 = rowNorms[s + 3]!;
      out[oa + s] = Math.exp(g * (na + n0 - 2 * a0));
      out[oa + s + 1] = Math.exp(g * (na + n1 - 2 * a1));
      out[oa + s + 2] = Math.exp(g * (na + n2 - 2 * a2));
      out[oa + s + 3] = Math.exp(g * (na + n3 - 2 * a3));
      out[ob + s] = Math.exp(g * (nb + n0 - 2 * b0));
      out[ob + s + 1] = Math.exp(g * (nb + n1 - 2 * b1));
      out[ob + s + 2] = Math.exp(g * (nb + n2 - 2 * b2));
      out[ob + s + 3] = Math.exp(g * (nb + n3 - 2 * b3));
    }
    for (; s < count; s++) {
      const ps = s * d;
      let a = 0;
      let b = 0;
      for (let k = 0; k < d; k++) {
        const v = rows[ps + k]!;
        a += queries[pa + k]! * v;
        b += queries[pb + k]! * v;
      }
      out[oa + s] = Math.exp(g * (na + rowNorms[s]! - 2 * a));
      out[ob + s] = Math.exp(g * (nb + rowNorms[s]! - 2 * b));
    }
  }
  if (r < m) {
    const pa = r * d;
    const na = queryNorms[r]!;
    const oa = r * count;
    for (let s = 0; s < count; s++) {
      const ps = s * d;
      let a = 0;
      for (let k = 0; k < d; k++) a += queries[pa + k]! * rows[ps + k]!;
      out[oa + s] = Math.exp(g * (na + rowNorms[s]! - 2 * a));
    }
  }
}

/** Squared norm of each of `count` row-major rows of `d` values, summed in feature order. */
export function rowNorms(rows: Float64Array, count: number, d: number, out: Float64Array): void {
  for (let s = 0; s < count; s++) {
    let v = 0;
    for (let k = 0, p = s * d; k < d; k++) v += rows[p + k]! * rows[p + k]!;
    out[s] = v;
  }
}

/**
 * out[r] = the dot product of the d values at R[pi..] with those at R[p_r..], r < 8, each summed in
 * feature order (so every caller gets the same bits for the same pair). Eight at a time: each x_i
 * value loaded serves eight independent sums.
 */
export function dots8(
  R: Float64Array,
  pi: number,
  p0: number,
  p1: number,
  p2: number,
  p3: number,
  p4: number,
  p5: number,
  p6: number,
  p7: number,
  d: number,
  out: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
  for (let k = 0; k < d; k++) {
    const x = R[pi + k]!;
    s0 += x * R[p0 + k]!;
    s1 += x * R[p1 + k]!;
    s2 += x * R[p2 + k]!;
    s3 += x * R[p3 + k]!;
    s4 += x * R[p4 + k]!;
    s5 += x * R[p5 + k]!;
    s6 += x * R[p6 + k]!;
    s7 += x * R[p7 + k]!;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
  out[4] = s4;
  out[5] = s5;
  out[6] = s6;
  out[7] = s7;
}

/** The largest Float32Array this engine allocates (4 GB): typed arrays have a length limit. */
export const MAX_FLOATS = 2 ** 30;

/**
 * The kernel matrix of a whole training set, computed lazily entry by entry and kept: the
 * one-vs-one pairs share rows (a class's rows appear in every pair with it) and the probability
 * folds refit on the same rows, so an entry needed by several problems is computed once, and its
 * mirror K(j, i) comes with it. Only used when n^2 float32 values fit half the cache budget
 * (n <= 5120 at the default 200 MB); larger sets go to the solver's own row cache.
 *
 * Values are stored in float32, the precision the solvers keep Q in anyway, and computed exactly
 * as the solver computes them itself (exp(-gamma (|x_i|^2 + |x_j|^2 - 2 x_i.x_j)), the dot product
 * summed in feature order), so a problem solved from this matrix gets the same solution bit for
 * bit as one solved without it.
 */
export class LazyGram {
  readonly n: number;
  private readonly d: number;
  private readonly R: Float64Array;
  private readonly norms: Float64Array;
  private readonly gamma: number;
  private readonly K: Float32Array; // 0 where not computed yet
  private readonly pending: Int32Array;
  private readonly dots = new Float64Array(8);

  /** Entries computed (for measurements), each counted once with its mirror. */
  evaluations = 0;

  constructor(R: Float64Array, norms: Float64Array, n: number, d: number, gamma: number) {
    this.n = n;
    this.d = d;
    this.R = R;
    this.norms = norms;
    this.gamma = gamma;
    this.K = new Float32Array(n * n);
    this.pending = new Int32Array(n);
  }

  static fits(n: number, bytes: number): boolean {
    return n * n * 4 <= bytes && n * n <= MAX_FLOATS;
  }

  /**
   * Writes sign_i * sign[q] * K(gi, global[q]) into out[offset + q] for q in [from, to): one Q row
   * of a binary problem whose positions map to training rows through `global`.
   */
  fillQ(
    gi: number,
    yi: number,
    global: Int32Array,
    sign: Float64Array,
    from: number,
    to: number,
    out: Float32Array,
    offset: number,
  ): void {
    const { K, n, pending } = this;
    const rowI = gi * n;
    let missing = 0;
    for (let q = from; q < to; q++) {
      const v = K[rowI + global[q]!]!;
      // 0 marks "not computed": an entry that truly underflows to 0 is merely recomputed.
      if (v !== 0) out[offset + q] = yi * sign[q]! * v;
      else pending[missing++] = q;
    }
    if (missing === 0) return;
    const { R, norms, d } = this;
    const g = -this.gamma;
    const pi = gi * d;
    const sqi = norms[gi]!;
    this.evaluations += missing;
    let t = 0;
    const dots = this.dots;
    // Eight entries at a time: eight independent sums keep the floating-point units busy.
    for (; t + 7 < missing; t += 8) {
      dots8(
        R,
        pi,
        global[pending[t]!]! * d,
        global[pending[t + 1]!]! * d,
        global[pending[t + 2]!]! * d,
        global[pending[t + 3]!]! * d,
        global[pending[t + 4]!]! * d,
        global[pending[t + 5]!]! * d,
        global[pending[t + 6]!]! * d,
        global[pending[t + 7]!]! * d,
        d,
        dots,
      );
      for (let r = 0; r < 8; r++) {
        const q = pending[t + r]!;
        const h = global[q]!;
        K[rowI + h] = Math.exp(g * (sqi + norms[h]! - 2 * dots[r]!));
        const v = K[rowI + h]!;
        K[h * n + gi] = v;
        out[offset + q] = yi * sign[q]! * v;
      }
    }
    for (; t < missing; t++) {
      const q = pending[t]!;
      const h = global[q]!;
      const ph = h * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += R[pi + k]! * R[ph + k]!;
      K[rowI + h] = Math.exp(g * (sqi + norms[h]! - 2 * s));
      const v = K[rowI + h]!;
      K[h * n + gi] = v;
      out[offset + q] = yi * sign[q]! * v;
    }
  }
}

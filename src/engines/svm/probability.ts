// Probabilities from one-vs-one decision values, as libsvm makes them: Platt's sigmoid per pair
// (with the regularized targets and the Newton + backtracking fit of Lin, Lin & Weng, 2007), then
// the pairwise estimates coupled into one distribution by Wu, Lin & Weng's second method (2004).

/**
 * Fits P(y = +1 | f) = 1 / (1 + exp(A f + B)) to decision values `f` and labels (> 0 positive).
 * Writes A into out[0] and B into out[1].
 */
export function sigmoidTrain(f: Float64Array, positive: Uint8Array, n: number, out: Float64Array): void {
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) nPos++;
  const nNeg = n - nPos;
  const maxIter = 100;
  const minStep = 1e-10;
  const sigma = 1e-12; // keeps the Hessian strictly positive definite
  const eps = 1e-5;
  // Targets pulled off 0 and 1 (Platt's prior correction) so the fit cannot run off to infinity.
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);

  let A = 0;
  let B = Math.log((nNeg + 1) / (nPos + 1));
  let fval = objective(f, positive, n, hi, lo, A, B);
  for (let iter = 0; iter < maxIter; iter++) {
    let h11 = sigma;
    let h22 = sigma;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const z = f[i]! * A + B;
      let p: number;
      let q: number;
      // p = 1 / (1 + e^z) and q = 1 - p, each from the side where the exponential cannot overflow.
      if (z >= 0) {
        const e = Math.exp(-z);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(z);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      const fi = f[i]!;
      h11 += fi * fi * d2;
      h22 += d2;
      h21 += fi * d2;
      const d1 = (positive[i] ? hi : lo) - p;
      g1 += fi * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < eps && Math.abs(g2) < eps) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= minStep) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nf = objective(f, positive, n, hi, lo, nA, nB);
      if (nf < fval + 0.0001 * step * gd) {
        A = nA;
        B = nB;
        fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < minStep) break; // line search failed: keep the best point found
  }
  out[0] = A;
  out[1] = B;
}

function objective(
  f: Float64Array,
  positive: Uint8Array,
  n: number,
  hi: number,
  lo: number,
  A: number,
  B: number,
): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const t = positive[i] ? hi : lo;
    const z = f[i]! * A + B;
    v += z >= 0 ? t * z + Math.log(1 + Math.exp(-z)) : (t - 1) * z + Math.log(1 + Math.exp(z));
  }
  return v;
}

/** P(y = +1 | f) under the fitted sigmoid. */
export function sigmoidPredict(f: number, A: number, B: number): number {
  const z = f * A + B;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}

/**
 * Couples pairwise probabilities r[i*k+j] = P(i | i or j) into p (length k), minimizing
 * sum_{i != j} (r_ji p_i - r_ij p_j)^2 subject to sum p = 1 by the fixed-point iteration of
 * Wu, Lin & Weng. Q (k*k) and Qp (k) are caller-provided scratch.
 */
export function couple(k: number, r: Float64Array, p: Float64Array, Q: Float64Array, Qp: Float64Array): void {
  const maxIter = Math.max(100, k);
  const eps = 0.005 / k;
  for (let t = 0; t < k; t++) {
    p[t] = 1 / k;
    let diag = 0;
    for (let j = 0; j < k; j++) {
      if (j === t) continue;
      const rjt = r[j * k + t]!;
      diag += rjt * rjt;
      Q[t * k + j] = -rjt * r[t * k + j]!;
    }
    Q[t * k + t] = diag;
  }
  for (let iter = 0; iter < maxIter; iter++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += Q[t * k + j]! * p[j]!;
      Qp[t] = s;
      pQp += p[t]! * s;
    }
    let maxError = 0;
    for (let t = 0; t < k; t++) {
      const e = Math.abs(Qp[t]! - pQp);
      if (e > maxError) maxError = e;
    }
    if (maxError < eps) break;
    for (let t = 0; t < k; t++) {
      const qtt = Q[t * k + t]!;
      const diff = (-Qp[t]! + pQp) / qtt;
      p[t] = p[t]! + diff;
      const scale = 1 + diff;
      pQp = (pQp + diff * (diff * qtt + 2 * Qp[t]!)) / scale / scale;
      for (let j = 0; j < k; j++) {
        Qp[j] = (Qp[j]! + diff * Q[t * k + j]!) / scale;
        p[j] = p[j]! / scale;
      }
    }
  }
}

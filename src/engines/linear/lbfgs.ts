// Limited-memory BFGS for smooth unconstrained problems, built to follow the path scipy's
// L-BFGS-B (the optimizer behind scikit-learn's solver 'lbfgs') takes when there are no bounds:
// - the direction is -H g from the two-loop recursion over the last `memory` pairs, with the
//   initial matrix scaled by s'y / y'y of the newest pair (L-BFGS-B's theta);
// - the step comes from the More-Thuente line search (sufficient decrease 1e-3, curvature 0.9,
//   interval tolerance 0.1), starting at 1 / ||d|| on the first iteration and at 1 after;
// - a pair is kept only when s'y > eps * (-s'g_old), otherwise the update is skipped;
// - a line search that fails (20 evaluations, or not a descent direction) restarts from the
//   steepest descent with the memory cleared, unless the memory was already empty;
// - it stops when max |g_i| <= pgtol, when (f_old - f) <= factr * max(|f_old|, |f|, 1), or
//   after maxIter iterations.
// Without bounds, L-BFGS-B's Cauchy point and subspace minimisation give the same direction as
// the two-loop recursion, so the iterates agree with scipy's up to rounding.

export interface Objective {
  /** Writes the gradient at x into grad and returns the function value. */
  evaluate(x: Float64Array, grad: Float64Array): number;
}

export interface LbfgsOptions {
  maxIter: number;
  /** Stop when the largest absolute gradient component is at most this. */
  pgtol: number;
  /** Stop when the relative decrease of f in one iteration is at most this (scipy's ftol). */
  factr: number;
  /** Number of correction pairs kept. */
  memory: number;
  /** Function evaluations allowed in one line search. */
  maxLineSearch: number;
}

export const LBFGS_DEFAULTS: LbfgsOptions = {
  maxIter: 15000,
  pgtol: 1e-5,
  factr: 2.220446049250313e-9,
  memory: 10,
  maxLineSearch: 20,
};

export type LbfgsStatus = 'gradient' | 'function' | 'max-iter' | 'line-search';

export interface LbfgsResult {
  f: number;
  iterations: number;
  evaluations: number;
  status: LbfgsStatus;
}

const EPS = 2.220446049250313e-16;
const STEP_MAX = 1e10;

function dot(a: Float64Array, b: Float64Array, n: number): number {
  return dotAt(a, 0, b, 0, n);
}

function dotAt(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
  }
  if (i < n) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1;
}

function maxAbs(a: Float64Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}

/**
 * Minimises the objective from x (overwritten with the solution). All work buffers are allocated
 * once here: an iteration allocates nothing.
 */
export function minimizeLbfgs(objective: Objective, x: Float64Array, options: Partial<LbfgsOptions> = {}): LbfgsResult {
  const opt = { ...LBFGS_DEFAULTS, ...options };
  const n = x.length;
  const m = Math.max(1, opt.memory);
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  const g = new Float64Array(n);
  const gOld = new Float64Array(n);
  const xOld = new Float64Array(n);
  const d = new Float64Array(n);
  const search = new MoreThuente();

  let f = objective.evaluate(x, g);
  let evaluations = 1;
  let iterations = 0;
  // Ring buffer of pairs: the newest at (head + count - 1) % m.
  let head = 0;
  let count = 0;
  let gamma = 1;

  if (!(maxAbs(g, n) > opt.pgtol)) return { f, iterations, evaluations, status: 'gradient' };

  for (;;) {
    // d = -H g by the two-loop recursion (offsets into S and Y, no views: nothing allocated).
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let t = count - 1; t >= 0; t--) {
      const k = (head + t) % m;
      const a = rho[k]! * dotAt(S, k * n, d, 0, n);
      alpha[k] = a;
      for (let i = 0, o = k * n; i < n; i++, o++) d[i]! -= a * Y[o]!;
    }
    if (count > 0) for (let i = 0; i < n; i++) d[i]! *= gamma;
    for (let t = 0; t < count; t++) {
      const k = (head + t) % m;
      const c = alpha[k]! - rho[k]! * dotAt(Y, k * n, d, 0, n);
      for (let i = 0, o = k * n; i < n; i++, o++) d[i]! += c * S[o]!;
    }

    const fOld = f;
    xOld.set(x);
    gOld.set(g);
    const gd0 = dot(g, d, n);
    let ok = gd0 < 0;
    let stp = 0;
    if (ok) {
      const step0 = iterations === 0 ? Math.min(1 / Math.sqrt(dot(d, d, n)), STEP_MAX) : 1;
      ok = search.run(objective, x, xOld, g, d, n, fOld, gd0, step0, opt.maxLineSearch);
      evaluations += search.evaluations;
      stp = search.stp;
      f = search.f;
    }
    if (!ok) {
      x.set(xOld);
      g.set(gOld);
      f = fOld;
      if (count === 0) {
        iterations++;
        return { f, iterations, evaluations, status: 'line-search' };
      }
      // Forget the curvature pairs and retry from steepest descent.
      head = 0;
      count = 0;
      gamma = 1;
      continue;
    }

    iterations++;
    if (maxAbs(g, n) <= opt.pgtol) return { f, iterations, evaluations, status: 'gradient' };
    if (iterations >= opt.maxIter) return { f, iterations, evaluations, status: 'max-iter' };
    if (fOld - f <= opt.factr * Math.max(Math.abs(fOld), Math.abs(f), 1))
      return { f, iterations, evaluations, status: 'function' };

    // New pair s = x - x_old, y = g - g_old; written into the slot of the oldest when full.
    const k = count < m ? (head + count) % m : head;
    const o = k * n;
    for (let i = 0; i < n; i++) {
      S[o + i] = x[i]! - xOld[i]!;
      Y[o + i] = g[i]! - gOld[i]!;
    }
    const sy = dotAt(S, o, Y, o, n);
    if (sy > EPS * (-stp * gd0)) {
      const yy = dotAt(Y, o, Y, o, n);
      rho[k] = 1 / sy;
      gamma = sy / yy;
      if (count < m) count++;
      else head = (head + 1) % m;
    }
  }
}

/**
 * The More-Thuente line search (MINPACK-2's dcsrch and dcstep), written as a loop that calls the
 * objective itself. It looks for a step with f(x + stp d) <= f(x) + ftol stp g'd and
 * |g(x + stp d)'d| <= gtol |g'd|, keeping an interval that brackets such a step and choosing
 * trial steps from cubic and quadratic interpolants, safeguarded.
 */
class MoreThuente {
  stp = 0;
  f = 0;
  evaluations = 0;
  // dcstep's interval: stx is the best step so far, sty the other end.
  private stx = 0;
  private fx = 0;
  private gx = 0;
  private sty = 0;
  private fy = 0;
  private gy = 0;
  private brackt = false;

  private static readonly FTOL = 1e-3;
  private static readonly GTOL = 0.9;
  private static readonly XTOL = 0.1;
  private static readonly XTRAPL = 1.1;
  private static readonly XTRAPU = 4;

  /** Returns true when a step was accepted; x, g and this.f, this.stp then hold it. */
  run(
    objective: Objective,
    x: Float64Array,
    x0: Float64Array,
    g: Float64Array,
    d: Float64Array,
    n: number,
    finit: number,
    ginit: number,
    step0: number,
    maxEvaluations: number,
  ): boolean {
    const ftol = MoreThuente.FTOL;
    const gtol = MoreThuente.GTOL;
    const xtol = MoreThuente.XTOL;
    const stpmin = 0;
    const stpmax = STEP_MAX;
    const gtest = ftol * ginit;
    let stp = step0;
    let stage = 1;
    let width = stpmax - stpmin;
    let width1 = width / 0.5;
    this.brackt = false;
    this.stx = 0;
    this.fx = finit;
    this.gx = ginit;
    this.sty = 0;
    this.fy = finit;
    this.gy = ginit;
    let stmin = 0;
    let stmax = stp + MoreThuente.XTRAPU * stp;
    this.evaluations = 0;

    for (;;) {
      if (this.evaluations >= maxEvaluations) return false;
      for (let i = 0; i < n; i++) x[i] = x0[i]! + stp * d[i]!;
      const f = objective.evaluate(x, g);
      this.evaluations++;
      const gp = dot(g, d, n);
      this.stp = stp;
      this.f = f;
      if (!Number.isFinite(f)) return false;

      const ftest = finit + stp * gtest;
      if (stage === 1 && f <= ftest && gp >= 0) stage = 2;
      // Rounding errors, a collapsed interval, or a step at a bound: accept what there is.
      if (this.brackt && (stp <= stmin || stp >= stmax)) return true;
      if (this.brackt && stmax - stmin <= xtol * stmax) return true;
      if (stp === stpmax && f <= ftest && gp <= gtest) return true;
      if (stp === stpmin && (f > ftest || gp >= gtest)) return true;
      if (f <= ftest && Math.abs(gp) <= gtol * -ginit) return true;

      if (stage === 1 && f <= this.fx && f > ftest) {
        // The modified function psi(stp) = f - stp * gtest until a step with sufficient decrease
        // and non-negative derivative is found.
        this.fx -= this.stx * gtest;
        this.fy -= this.sty * gtest;
        this.gx -= gtest;
        this.gy -= gtest;
        stp = this.step(stp, f - stp * gtest, gp - gtest, stmin, stmax);
        this.fx += this.stx * gtest;
        this.fy += this.sty * gtest;
        this.gx += gtest;
        this.gy += gtest;
      } else {
        stp = this.step(stp, f, gp, stmin, stmax);
      }

      if (this.brackt) {
        // Force a sufficient shrink of the interval.
        if (Math.abs(this.sty - this.stx) >= 0.66 * width1) stp = this.stx + 0.5 * (this.sty - this.stx);
        width1 = width;
        width = Math.abs(this.sty - this.stx);
        stmin = Math.min(this.stx, this.sty);
        stmax = Math.max(this.stx, this.sty);
      } else {
        stmin = stp + MoreThuente.XTRAPL * (stp - this.stx);
        stmax = stp + MoreThuente.XTRAPU * (stp - this.stx);
      }
      stp = Math.min(Math.max(stp, stpmin), stpmax);
      if (this.brackt && (stp <= stmin || stp >= stmax || stmax - stmin <= xtol * stmax)) stp = this.stx;
    }
  }

  /** dcstep: the next trial step from the interval ends and the step just evaluated. */
  private step(stp: number, fp: number, dp: number, stpmin: number, stpmax: number): number {
    const stx = this.stx;
    const fx = this.fx;
    const dx = this.gx;
    const sty = this.sty;
    const fy = this.fy;
    const dy = this.gy;
    const sgnd = dp * (dx / Math.abs(dx));
    let stpf: number;

    if (fp > fx) {
      // Higher value: the minimum is bracketed; cubic step, or halfway to the quadratic one.
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
      if (stp < stx) gamma = -gamma;
      const p = gamma - dx + theta;
      const q = gamma - dx + gamma + dp;
      const stpc = stx + (p / q) * (stp - stx);
      const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
      stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
      this.brackt = true;
    } else if (sgnd < 0) {
      // Derivatives of opposite sign: bracketed; the cubic or the secant step, the farther.
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
      if (stp > stx) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dx;
      const stpc = stp + (p / q) * (stx - stp);
      const stpq = stp + (dp / (dp - dx)) * (stx - stp);
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      this.brackt = true;
    } else if (Math.abs(dp) < Math.abs(dx)) {
      // Same sign, derivative shrinking: the cubic step only where it points the right way.
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = s * Math.sqrt(Math.max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
      if (stp > stx) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma + (dx - dp) + gamma;
      const r = p / q;
      let stpc: number;
      if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
      else if (stp > stx) stpc = stpmax;
      else stpc = stpmin;
      const stpq = stp + (dp / (dp - dx)) * (stx - stp);
      if (this.brackt) {
        stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
        if (stp > stx) stpf = Math.min(stp + 0.66 * (sty - stp), stpf);
        else stpf = Math.max(stp + 0.66 * (sty - stp), stpf);
      } else {
        stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
        stpf = Math.min(stpmax, Math.max(stpmin, stpf));
      }
    } else if (this.brackt) {
      // Same sign, derivative not shrinking, bracketed: cubic step towards sty.
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dy / s) * (dp / s));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      stpf = stp + (p / q) * (sty - stp);
    } else {
      stpf = stp > stx ? stpmax : stpmin;
    }

    if (fp > fx) {
      this.sty = stp;
      this.fy = fp;
      this.gy = dp;
    } else {
      if (sgnd < 0) {
        this.sty = stx;
        this.fy = fx;
        this.gy = dx;
      }
      this.stx = stp;
      this.fx = fp;
      this.gx = dp;
    }
    return stpf;
  }
}

import { describe, expect, it } from 'vitest';
import { fromRows, type Matrix } from '../src/ml/matrix.js';
import { createRandom } from '../src/ml/random.js';
import { SvcClassifier, type SvcJson } from '../src/engines/svm/svc.js';

// 15 points, 3 classes, and what scikit-learn 1.2.1 answers for them with
// SVC(C=1, gamma=0.5, decision_function_shape='ovo') (decision values rounded to 1e-10).
const KNOWN_X = [
  [1.79, 0.44],
  [0.1, -1.86],
  [-0.28, -0.35],
  [-0.08, -0.63],
  [-0.04, -0.48],
  [1.19, 0.88],
  [3.38, 1.71],
  [2.55, -0.4],
  [1.95, -1.55],
  [3.48, -1.1],
  [-0.19, 2.29],
  [2.49, 2.74],
  [-0.02, 1.79],
  [1.63, 2.34],
  [0.23, 2.27],
];
const KNOWN_Y = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
const KNOWN_Q = [
  [0, 0],
  [2, 0],
  [1, 2],
  [1, 1],
  [-3, 4],
];
const KNOWN_DEC = [
  [0.653092643, 0.8352458609, 0.3580027],
  [-0.6062367309, 0.966693565, 0.991573952],
  [-0.6707959714, -0.8997229458, -0.7941432396],
  [-0.5963385379, 0.1777136525, 0.4263148902],
  [-0.3464902092, 0.0775310469, 0.2343325449],
];

/** Three Gaussian blobs in `d` dimensions, rows shuffled; deterministic in `seed`. */
function blobs(n: number, d: number, seed: number, classes = 3): { X: Matrix; y: Int32Array } {
  const random = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows: number[][] = [];
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    y[i] = c;
    rows.push(Array.from({ length: d }, (_, j) => (j === c % d ? 1.5 : 0) + gauss()));
  }
  return { X: fromRows(rows), y };
}

function rowSums(P: Float64Array, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < P.length / k; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += P[i * k + c]!;
    out.push(s);
  }
  return out;
}

describe('SvcClassifier: known answers', () => {
  it('two points: the analytic dual (alpha = 1 / (1 - K12), rho = 0, margins exactly +-1)', () => {
    const gamma = 0.5;
    const m = new SvcClassifier({ C: 10, gamma }, 0);
    m.fit(fromRows([[-1], [1]]), Int32Array.from([0, 1]), 2);
    expect(Array.from(m.supportCounts())).toEqual([1, 1]);
    const dec = m.decisionValues(fromRows([[-1], [1], [0]]));
    expect(dec[0]).toBeCloseTo(1, 6);
    expect(dec[1]).toBeCloseTo(-1, 6);
    expect(Math.abs(dec[2]!)).toBeLessThan(1e-6);
    // Half way, a decision of 0 goes to the second class of the pair, as libsvm's vote does.
    expect(Array.from(m.predict(fromRows([[-0.5], [0.5], [-3]])))).toEqual([0, 1, 0]);
    // The coefficient itself: f(-1) = alpha (K11 - K12) - rho with K11 = 1, K12 = exp(-4 gamma).
    const alpha = 1 / (1 - Math.exp(-4 * gamma));
    const far = m.decisionValues(fromRows([[-1 - 1e-9]]));
    expect(far[0]).toBeCloseTo(alpha * (1 - Math.exp(-4 * gamma)), 6);
  });

  it('matches scikit-learn on a small three-class set: support vectors, decision values, votes', () => {
    const m = new SvcClassifier({ gamma: 0.5 }, 0);
    m.fit(fromRows(KNOWN_X), KNOWN_Y, 3);
    expect(Array.from(m.supportCounts())).toEqual([4, 5, 4]);
    const dec = m.decisionValues(fromRows(KNOWN_Q));
    for (let i = 0; i < KNOWN_DEC.length; i++)
      for (let p = 0; p < 3; p++) expect(Math.abs(dec[i * 3 + p]! - KNOWN_DEC[i]![p]!)).toBeLessThan(1e-6);
    expect(Array.from(m.predict(fromRows(KNOWN_Q)))).toEqual([0, 1, 2, 1, 1]);
  });

  it("gamma 'scale' is 1 / (features * variance of all values), 'auto' 1 / features", () => {
    const scaled = new SvcClassifier({}, 0);
    scaled.fit(fromRows(KNOWN_X), KNOWN_Y, 3);
    expect(scaled.gamma).toBeCloseTo(0.23825658444573128, 14); // scikit-learn's _gamma for these rows
    expect(Array.from(scaled.supportCounts())).toEqual([4, 5, 4]);
    const auto = new SvcClassifier({ gamma: 'auto' }, 0);
    auto.fit(fromRows(KNOWN_X), KNOWN_Y, 3);
    expect(auto.gamma).toBe(0.5);
    const flat = new SvcClassifier({}, 0);
    flat.fit(
      fromRows([
        [2, 2],
        [2, 2],
        [2, 2],
      ]),
      Int32Array.from([0, 1, 1]),
      2,
    );
    expect(flat.gamma).toBe(1); // zero variance: scikit-learn falls back to 1
  });
});

describe('SvcClassifier: behaviour', () => {
  const { X, y } = blobs(240, 4, 7);

  it('is deterministic: same params, seed and data give identical JSON and predictions', () => {
    for (const probability of [false, true]) {
      const a = new SvcClassifier({ probability }, 11);
      const b = new SvcClassifier({ probability }, 11);
      a.fit(X, y, 3);
      b.fit(X, y, 3);
      expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
      expect(Array.from(a.predictProba(X))).toEqual(Array.from(b.predictProba(X)));
    }
  });

  it('round-trips through JSON and predicts bit for bit the same', () => {
    for (const probability of [false, true]) {
      const m = new SvcClassifier({ probability }, 3);
      m.fit(X, y, 3);
      const json = JSON.parse(JSON.stringify(m.toJSON())) as SvcJson;
      const back = SvcClassifier.fromJSON(json);
      expect(Array.from(back.predict(X))).toEqual(Array.from(m.predict(X)));
      expect(Array.from(back.predictProba(X))).toEqual(Array.from(m.predictProba(X)));
      expect(Array.from(back.decisionValues(X))).toEqual(Array.from(m.decisionValues(X)));
      expect(JSON.stringify(back.toJSON())).toBe(JSON.stringify(json));
    }
  });

  it('probabilities are in [0, 1] and each row sums to 1, with or without the probability folds', () => {
    for (const probability of [false, true]) {
      const m = new SvcClassifier({ probability }, 0);
      m.fit(X, y, 3);
      const P = m.predictProba(X);
      for (const v of P) expect(v >= 0 && v <= 1).toBe(true);
      for (const s of rowSums(P, 3)) expect(s).toBeCloseTo(1, 12);
      // Fitted well: the true class gets most of the mass on average.
      let mass = 0;
      for (let i = 0; i < X.rows; i++) mass += P[i * 3 + y[i]!]!;
      expect(mass / X.rows).toBeGreaterThan(0.7);
    }
  });

  it('the probability folds depend on the seed, the vote does not', () => {
    const a = new SvcClassifier({ probability: true }, 1);
    const b = new SvcClassifier({ probability: true }, 2);
    a.fit(X, y, 3);
    b.fit(X, y, 3);
    expect(Array.from(a.predict(X))).toEqual(Array.from(b.predict(X)));
    expect(Array.from(a.predictProba(X))).not.toEqual(Array.from(b.predictProba(X)));
  });

  it('two classes', () => {
    const two = blobs(80, 3, 5, 2);
    const m = new SvcClassifier({ probability: true }, 0);
    m.fit(two.X, two.y, 2);
    const pred = m.predict(two.X);
    let ok = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === two.y[i]) ok++;
    expect(ok / pred.length).toBeGreaterThan(0.8);
    const P = m.predictProba(two.X);
    for (const s of rowSums(P, 2)) expect(s).toBeCloseTo(1, 12);
    expect(m.decisionValues(two.X).length).toBe(two.X.rows);
  });

  it('a class absent from y is never predicted and gets probability 0', () => {
    const y4 = Int32Array.from(y, (c) => (c === 1 ? 3 : c)); // classes 0, 2, 3 of 4
    const m = new SvcClassifier({}, 0);
    m.fit(X, y4, 4);
    expect(m.predict(X).includes(1)).toBe(false);
    const P = m.predictProba(X);
    for (let i = 0; i < X.rows; i++) expect(P[i * 4 + 1]).toBe(0);
    for (const s of rowSums(P, 4)) expect(s).toBeCloseTo(1, 12);
    expect(Array.from(m.supportCounts())[1]).toBe(0);
  });

  it('a constant feature changes nothing', () => {
    const withConst = fromRows(KNOWN_X.map((r) => [r[0]!, 7, r[1]!]));
    const m = new SvcClassifier({ gamma: 0.5 }, 0);
    m.fit(withConst, KNOWN_Y, 3);
    expect(Array.from(m.supportCounts())).toEqual([4, 5, 4]);
    const dec = m.decisionValues(fromRows(KNOWN_Q.map((r) => [r[0]!, 7, r[1]!])));
    for (let i = 0; i < KNOWN_DEC.length; i++)
      for (let p = 0; p < 3; p++) expect(Math.abs(dec[i * 3 + p]! - KNOWN_DEC[i]![p]!)).toBeLessThan(1e-6);
  });

  it('tiny data: two rows, a few rows, and a single class', () => {
    const two = new SvcClassifier({ probability: true }, 0);
    two.fit(
      fromRows([
        [0, 1],
        [1, 0],
      ]),
      Int32Array.from([1, 0]),
      2,
    );
    expect(
      Array.from(
        two.predict(
          fromRows([
            [0, 1],
            [1, 0],
          ]),
        ),
      ),
    ).toEqual([1, 0]);
    for (const s of rowSums(two.predictProba(fromRows([[0.2, 0.9]])), 2)) expect(s).toBeCloseTo(1, 12);

    const few = new SvcClassifier({ probability: true }, 0);
    few.fit(fromRows([[0], [0.1], [1], [1.1], [2], [2.1]]), Int32Array.from([0, 0, 1, 1, 2, 2]), 3);
    expect(Array.from(few.predict(fromRows([[0.05], [1.05], [2.05]])))).toEqual([0, 1, 2]);
    for (const s of rowSums(few.predictProba(fromRows([[0.5], [3]])), 3)) expect(s).toBeCloseTo(1, 12);

    const one = new SvcClassifier({}, 0);
    one.fit(fromRows([[1], [2], [3]]), Int32Array.from([2, 2, 2]), 3);
    expect(Array.from(one.predict(fromRows([[0], [9]])))).toEqual([2, 2]);
    expect(Array.from(one.predictProba(fromRows([[0]])))).toEqual([0, 0, 1]);
    const back = SvcClassifier.fromJSON(JSON.parse(JSON.stringify(one.toJSON())) as SvcJson);
    expect(Array.from(back.predict(fromRows([[5]])))).toEqual([2]);
  });

  it('the kept kernel matrix, a cache too small for the problem, and the plain solver agree bit for bit', () => {
    const big = blobs(300, 5, 21);
    const models = [
      new SvcClassifier({}, 0), // 300^2 floats fit: the lazily kept kernel matrix
      new SvcClassifier({ cacheSize: 0.4 }, 0), // 0.36 MB needed for it: the solver computes its rows
      new SvcClassifier({ cacheSize: 0.01 }, 0), // room for a few rows only: constant eviction
    ];
    const json = models.map((m) => {
      m.fit(big.X, big.y, 3);
      const j = m.toJSON();
      return JSON.stringify({ ...j, params: null });
    });
    expect(json[1]).toBe(json[0]);
    expect(json[2]).toBe(json[0]);
  });

  it('shrinking reaches the same optimum (to the tolerance) as no shrinking', () => {
    const big = blobs(400, 3, 9);
    const a = new SvcClassifier({ shrinking: true, tol: 1e-5 }, 0);
    const b = new SvcClassifier({ shrinking: false, tol: 1e-5 }, 0);
    a.fit(big.X, big.y, 3);
    b.fit(big.X, big.y, 3);
    const da = a.decisionValues(big.X);
    const db = b.decisionValues(big.X);
    for (let i = 0; i < da.length; i++) expect(Math.abs(da[i]! - db[i]!)).toBeLessThan(1e-3);
  });

  it('rejects bad input', () => {
    expect(() => new SvcClassifier({ C: 0 }, 0)).toThrow();
    expect(() => new SvcClassifier({ gamma: -1 }, 0)).toThrow();
    const m = new SvcClassifier({}, 0);
    expect(() => m.predict(X)).toThrow();
    expect(() => m.fit(X, Int32Array.from([0, 1]), 3)).toThrow();
    m.fit(X, y, 3);
    expect(() => m.predict(fromRows([[1, 2]]))).toThrow();
  });
});

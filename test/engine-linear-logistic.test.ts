import { describe, expect, it } from 'vitest';
import { X3, y3, X2, y2, Q } from './support/engine-data.js';
import { fromRows, type Matrix } from '../src/ml/matrix.js';
import { createRandom } from '../src/ml/random.js';
import { LogisticRegressionClassifier } from '../src/engines/linear/logistic-regression.js';
import { minimizeLbfgs } from '../src/engines/linear/lbfgs.js';

// Reference values: scikit-learn 1.2.1 LogisticRegression() (lbfgs) on these rows.
const SK_THREE = {
  coef: [
    0.044313880019500804, -0.7738397858156915, 0.7758014357389377, 0.4214271463740098, -0.8201153157584381,
    0.35241263944168216,
  ],
  intercept: [2.2377281462674774, -1.666900263548266, -0.5708278827192105],
  proba: [
    0.8218950965181091, 0.11371994978296743, 0.06438495369892343, 0.2245338737112605, 0.7049832749957892,
    0.0704828512929502, 0.40533726178146295, 0.04291139311923077, 0.5517513450993063,
  ],
  iterations: 19,
};
const SK_THREE_C01 = {
  coef: [
    0.009054197875537946, -0.29943310970665366, 0.34052608958964653, 0.15821290093573603, -0.34958028746518444,
    0.14122020877091762,
  ],
  intercept: [0.8363354718448399, -0.6191710487828335, -0.21716442306200642],
};

function randomData(rows: number, cols: number, classes: number, seed: number): { X: Matrix; y: Int32Array } {
  const random = createRandom(seed);
  const y = new Int32Array(rows);
  const data: number[][] = [];
  for (let i = 0; i < rows; i++) {
    y[i] = i % classes;
    data.push(Array.from({ length: cols }, (_, j) => random() * 2 - 1 + (j % classes === y[i] ? 1.5 : 0)));
  }
  return { X: fromRows(data), y };
}

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tol);
}

function expectRowsSumToOne(proba: Float64Array, classes: number): void {
  for (let i = 0; i < proba.length / classes; i++) {
    let s = 0;
    for (let c = 0; c < classes; c++) {
      expect(proba[i * classes + c]).toBeGreaterThanOrEqual(0);
      s += proba[i * classes + c]!;
    }
    expect(s).toBeCloseTo(1, 12);
  }
}

describe('LogisticRegressionClassifier', () => {
  it('multinomial: scikit-learn coefficients, intercepts, probabilities and iteration count', () => {
    const m = new LogisticRegressionClassifier({}, 0);
    m.fit(fromRows(X3), y3, 3);
    expectClose(m.coefficients(), SK_THREE.coef, 1e-9);
    expectClose(m.intercepts(), SK_THREE.intercept, 1e-9);
    expectClose(m.predictProba(Q), SK_THREE.proba, 1e-9);
    expect(m.fitInfo().iterations).toBe(SK_THREE.iterations);
    expect([...m.predict(Q)]).toEqual([0, 1, 2]);
  });

  it('C scales the penalty as scikit-learn does', () => {
    const m = new LogisticRegressionClassifier({ C: 0.1 }, 0);
    m.fit(fromRows(X3), y3, 3);
    expectClose(m.coefficients(), SK_THREE_C01.coef, 1e-9);
    expectClose(m.intercepts(), SK_THREE_C01.intercept, 1e-9);
  });

  it('two classes: one weight vector, scikit-learn coefficients and probabilities', () => {
    const m = new LogisticRegressionClassifier({}, 0);
    m.fit(fromRows(X2), y2, 2);
    expect(m.coefficients().length).toBe(2);
    expectClose(m.coefficients(), [1.3206948070661713, 0.1405675031954542], 1e-9);
    expectClose(m.intercepts(), [-2.4985314380971655], 1e-9);
    const proba = m.predictProba(Q);
    expectClose(
      proba,
      [
        0.738322738865596, 0.26167726113440404, 0.36249286318890406, 0.6375071368110959, 0.9717523642468724,
        0.02824763575312765,
      ],
      1e-9,
    );
    expect([...m.predict(Q)]).toEqual([0, 1, 0]);
  });

  it('symmetric binary data gives a zero intercept and mirrored probabilities', () => {
    const X = fromRows([[-2], [-1], [1], [2]]);
    const m = new LogisticRegressionClassifier({}, 0);
    m.fit(X, Int32Array.from([0, 0, 1, 1]), 2);
    expect(Math.abs(m.intercepts()[0]!)).toBeLessThan(1e-10);
    const p = m.predictProba(fromRows([[-1.5], [1.5]]));
    expect(p[0]).toBeCloseTo(p[3]!, 12);
    expect(p[1]).toBeCloseTo(p[2]!, 12);
  });

  it('is deterministic and its JSON round trip predicts bit-identically', () => {
    const { X, y } = randomData(300, 7, 4, 11);
    const a = new LogisticRegressionClassifier({}, 1);
    const b = new LogisticRegressionClassifier({}, 2);
    a.fit(X, y, 4);
    b.fit(X, y, 4);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const copy = LogisticRegressionClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect([...copy.predictProba(X)]).toEqual([...a.predictProba(X)]);
    expect([...copy.predict(X)]).toEqual([...a.predict(X)]);
    expectRowsSumToOne(a.predictProba(X), 4);
  });

  it('predict is the argmax of predictProba', () => {
    const { X, y } = randomData(200, 5, 3, 5);
    const m = new LogisticRegressionClassifier({}, 0);
    m.fit(X, y, 3);
    const p = m.predictProba(X);
    const pred = m.predict(X);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let c = 1; c < 3; c++) if (p[i * 3 + c]! > p[i * 3 + best]!) best = c;
      expect(pred[i]).toBe(best);
    }
  });

  it('a constant feature gets a zero weight', () => {
    const { X, y } = randomData(60, 3, 3, 3);
    const values = X.values.slice();
    values.fill(0, 60, 120); // feature 1 constant (0, as after standardizing)
    const m = new LogisticRegressionClassifier({}, 0);
    m.fit({ rows: 60, cols: 3, values }, y, 3);
    const coef = m.coefficients();
    for (let k = 0; k < 3; k++) expect(coef[k * 3 + 1]).toBe(0);
    expectRowsSumToOne(m.predictProba({ rows: 60, cols: 3, values }), 3);
  });

  it('an absent class gets probability 0; two present classes of four fit one vector', () => {
    const m = new LogisticRegressionClassifier({}, 0);
    m.fit(fromRows(X2), Int32Array.from([...y2].map((c) => (c === 0 ? 1 : 3))), 4);
    expect(m.coefficients().length).toBe(2);
    const p = m.predictProba(Q);
    for (let i = 0; i < 3; i++) {
      expect(p[i * 4]).toBe(0);
      expect(p[i * 4 + 2]).toBe(0);
    }
    expectRowsSumToOne(p, 4);
    expect([...m.predict(Q)]).toEqual([1, 3, 1]);
  });

  it('tiny data: two rows, and a single class', () => {
    const m = new LogisticRegressionClassifier({}, 0);
    m.fit(
      fromRows([
        [0, 1],
        [1, 0],
      ]),
      Int32Array.from([0, 1]),
      2,
    );
    expect([
      ...m.predict(
        fromRows([
          [0, 1],
          [1, 0],
        ]),
      ),
    ]).toEqual([0, 1]);
    const one = new LogisticRegressionClassifier({}, 0);
    one.fit(fromRows([[0], [1], [2]]), Int32Array.from([2, 2, 2]), 3);
    expect([...one.predict(fromRows([[5]]))]).toEqual([2]);
    expect([...one.predictProba(fromRows([[5]]))]).toEqual([0, 0, 1]);
  });

  it('stops at maxIter', () => {
    const { X, y } = randomData(200, 6, 3, 9);
    const m = new LogisticRegressionClassifier({ maxIter: 3, tol: 0 }, 0);
    m.fit(X, y, 3);
    expect(m.fitInfo()).toEqual({ iterations: 3, status: 'max-iter' });
  });
});

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const x = new Float64Array([-1.2, 1]);
    const result = minimizeLbfgs(
      {
        evaluate(v, g) {
          const a = v[0]!;
          const b = v[1]!;
          g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
          g[1] = 200 * (b - a * a);
          return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
        },
      },
      x,
      { maxIter: 200, pgtol: 1e-10, factr: 0 },
    );
    expect(result.status).toBe('gradient');
    expect(x[0]).toBeCloseTo(1, 6);
    expect(x[1]).toBeCloseTo(1, 6);
  });
});

import { describe, expect, it } from 'vitest';
import { X3, y3, X2, y2, Q } from './support/engine-data.js';
import { fromRows, type Matrix } from '../src/ml/matrix.js';
import { createRandom } from '../src/ml/random.js';
import { GaussianNBClassifier } from '../src/engines/naive-bayes/gaussian-nb.js';

// Reference values: scikit-learn 1.2.1 GaussianNB() on these rows.
const SK_THREE = [
  0.9999999999780664, 2.1933609444413174e-11, 2.4060768321915684e-17, 0.00804887854250028, 0.9919511214575003,
  2.421525273918729e-24, 0.30725222473490355, 7.81329691570016e-25, 0.6927477752650972,
];
const SK_TWO = [
  0.9935458040501086, 0.006454195949891584, 0.0834747990803217, 0.9165252009196784, 0.9999999720616111,
  2.7938388629193242e-8,
];

function randomData(rows: number, cols: number, classes: number, seed: number): { X: Matrix; y: Int32Array } {
  const random = createRandom(seed);
  const y = new Int32Array(rows);
  const data: number[][] = [];
  for (let i = 0; i < rows; i++) {
    y[i] = i % classes;
    data.push(Array.from({ length: cols }, (_, j) => random() * (1 + j) + y[i]! * 0.5));
  }
  return { X: fromRows(data), y };
}

function expectRelClose(actual: ArrayLike<number>, expected: number[]): void {
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(
      1e-12 * Math.max(1e-12, Math.abs(expected[i]!)) + 1e-15,
    );
  }
}

describe('GaussianNBClassifier', () => {
  it('probabilities as scikit-learn, three classes and two', () => {
    const m3 = new GaussianNBClassifier({}, 0);
    m3.fit(fromRows(X3), y3, 3);
    expectRelClose(m3.predictProba(Q), SK_THREE);
    expect([...m3.predict(Q)]).toEqual([0, 1, 2]);
    const m2 = new GaussianNBClassifier({}, 0);
    m2.fit(fromRows(X2), y2, 2);
    expectRelClose(m2.predictProba(Q), SK_TWO);
    expect([...m2.predict(Q)]).toEqual([0, 1, 0]);
  });

  it('a hand-computed case: unit variances, equal priors', () => {
    // Class 0 at 0 and 2 (mean 1, variance 1), class 1 at 4 and 6 (mean 5, variance 1); the
    // feature's variance over all rows is 5, so epsilon = 5e-9.
    const m = new GaussianNBClassifier({}, 0);
    m.fit(fromRows([[0], [2], [4], [6]]), Int32Array.from([0, 0, 1, 1]), 2);
    const v = 1 + 5e-9;
    const p = m.predictProba(fromRows([[3], [1]]));
    expect(p[0]).toBeCloseTo(0.5, 15);
    expect(p[3]).toBeCloseTo(1 / (1 + Math.exp(8 / v)), 15);
    const jll = m.jointLogLikelihood(fromRows([[1]]));
    expect(jll[0]).toBeCloseTo(Math.log(0.5) - 0.5 * Math.log(2 * Math.PI * v), 14);
  });

  it('priors follow the class frequencies', () => {
    const m = new GaussianNBClassifier({}, 0);
    m.fit(fromRows([[0], [0], [0], [1]]), Int32Array.from([0, 0, 0, 1]), 2);
    const json = m.toJSON();
    expect(json.classes).toBe(2);
    // A point between the two means, nearer class 1 in units of its tiny variance, still decided
    // by likelihoods; the priors enter as log(3/4) and log(1/4).
    const jll = m.jointLogLikelihood(fromRows([[0]]));
    const eps = 1e-9 * (3 / 16);
    expect(jll[0]).toBeCloseTo(Math.log(0.75) - 0.5 * Math.log(2 * Math.PI * eps), 6);
  });

  it('is deterministic and its JSON round trip predicts bit-identically', () => {
    const { X, y } = randomData(200, 5, 3, 21);
    const a = new GaussianNBClassifier({}, 1);
    const b = new GaussianNBClassifier({}, 2);
    a.fit(X, y, 3);
    b.fit(X, y, 3);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const copy = GaussianNBClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect([...copy.predictProba(X)]).toEqual([...a.predictProba(X)]);
    expect([...copy.predict(X)]).toEqual([...a.predict(X)]);
  });

  it('probabilities sum to 1, predict is their argmax, an absent class gets 0', () => {
    const { X, y } = randomData(90, 3, 3, 5);
    const m = new GaussianNBClassifier({}, 0);
    m.fit(
      X,
      y.map((c) => (c === 2 ? 3 : c)),
      4,
    );
    const p = m.predictProba(X);
    const pred = m.predict(X);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      let best = 0;
      for (let c = 0; c < 4; c++) {
        s += p[i * 4 + c]!;
        if (p[i * 4 + c]! > p[i * 4 + best]!) best = c;
      }
      expect(s).toBeCloseTo(1, 12);
      expect(p[i * 4 + 2]).toBe(0);
      expect(pred[i]).toBe(best);
    }
  });

  it('constant features: one among others, and all of them', () => {
    const m = new GaussianNBClassifier({}, 0);
    m.fit(
      fromRows([
        [1, 5],
        [2, 5],
        [8, 5],
        [9, 5],
      ]),
      Int32Array.from([0, 0, 1, 1]),
      2,
    );
    expect([
      ...m.predict(
        fromRows([
          [1.5, 5],
          [8.5, 5],
        ]),
      ),
    ]).toEqual([0, 1]);
    const all = new GaussianNBClassifier({}, 0);
    all.fit(fromRows([[3], [3], [3]]), Int32Array.from([0, 1, 1]), 2);
    const p = all.predictProba(fromRows([[3]]));
    expect(p[0]).toBeCloseTo(1 / 3, 12);
    expect(p[1]).toBeCloseTo(2 / 3, 12);
  });

  it('tiny data: two rows', () => {
    const m = new GaussianNBClassifier({}, 0);
    m.fit(
      fromRows([
        [0, 0],
        [1, 1],
      ]),
      Int32Array.from([0, 1]),
      2,
    );
    expect([
      ...m.predict(
        fromRows([
          [0.1, 0],
          [0.9, 1],
        ]),
      ),
    ]).toEqual([0, 1]);
    const p = m.predictProba(fromRows([[0.5, 0.5]]));
    expect(p[0]! + p[1]!).toBeCloseTo(1, 12);
  });
});

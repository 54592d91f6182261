import { describe, expect, it } from 'vitest';
import { X3, y3, Q } from './support/engine-data.js';
import { fromRows, type Matrix } from '../src/ml/matrix.js';
import { createRandom } from '../src/ml/random.js';
import { KNeighborsClassifier } from '../src/engines/knn/knn.js';

// Reference values: scikit-learn 1.2.1 KNeighborsClassifier(n_neighbors=3) on these rows.
const SK_UNIFORM = [1, 0, 0, 1 / 3, 2 / 3, 0, 1 / 3, 0, 2 / 3];
const SK_DISTANCE = [1, 0, 0, 0.2768203216716357, 0.7231796783283642, 0, 0.3148473149085403, 0, 0.6851526850914598];

function randomData(rows: number, cols: number, classes: number, seed: number): { X: Matrix; y: Int32Array } {
  const random = createRandom(seed);
  const y = new Int32Array(rows);
  const data: number[][] = [];
  for (let i = 0; i < rows; i++) {
    y[i] = Math.floor(random() * classes);
    data.push(Array.from({ length: cols }, (_, j) => random() * 2 - 1 + (j % classes === y[i] ? 0.8 : 0)));
  }
  return { X: fromRows(data), y };
}

/** Plain O(n^2) reference: exact squared distances, stable sort (lower index first on ties). */
function bruteNeighbors(train: Matrix, query: Matrix, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < query.rows; i++) {
    const d: { dist: number; index: number }[] = [];
    for (let t = 0; t < train.rows; t++) {
      let s = 0;
      for (let j = 0; j < train.cols; j++) {
        const e = query.values[j * query.rows + i]! - train.values[j * train.rows + t]!;
        s += e * e;
      }
      d.push({ dist: s, index: t });
    }
    d.sort((a, b) => a.dist - b.dist || a.index - b.index);
    out.push(d.slice(0, k).map((e) => e.index));
  }
  return out;
}

describe('KNeighborsClassifier', () => {
  it('uniform and distance votes as scikit-learn', () => {
    for (const [weights, expected] of [
      ['uniform', SK_UNIFORM],
      ['distance', SK_DISTANCE],
    ] as const) {
      const m = new KNeighborsClassifier({ nNeighbors: 3, weights }, 0);
      m.fit(fromRows(X3), y3, 3);
      const p = m.predictProba(Q);
      for (let i = 0; i < expected.length; i++) expect(p[i]).toBeCloseTo(expected[i]!, 12);
      expect([...m.predict(Q)]).toEqual([0, 1, 2]);
    }
  });

  it('finds the same neighbours as an exhaustive search (tiles, blocks and early abandoning)', () => {
    // 1,003 training rows: a partial last panel; 21 features: three checkpoints and odd counts.
    const { X, y } = randomData(1003, 21, 3, 7);
    const { X: Qr } = randomData(37, 21, 3, 8);
    const m = new KNeighborsClassifier({ nNeighbors: 7 }, 0);
    m.fit(X, y, 3);
    const { indices, distances } = m.kneighbors(Qr);
    const ref = bruteNeighbors(X, Qr, 7);
    for (let i = 0; i < Qr.rows; i++) {
      expect([...indices.subarray(i * 7, i * 7 + 7)]).toEqual(ref[i]);
      for (let t = 1; t < 7; t++) expect(distances[i * 7 + t]).toBeGreaterThanOrEqual(distances[i * 7 + t - 1]!);
    }
  });

  it('equal distances go to the lower training index; a vote tie to the lower class', () => {
    const train = fromRows([[0], [1], [3], [4]]);
    const m = new KNeighborsClassifier({ nNeighbors: 1 }, 0);
    m.fit(train, Int32Array.from([1, 0, 0, 1]), 2);
    // 0.5 is as far from row 0 (class 1) as from row 1 (class 0): row 0 wins.
    expect([...m.kneighbors(fromRows([[0.5]])).indices]).toEqual([0]);
    expect([...m.predict(fromRows([[0.5]]))]).toEqual([1]);
    const two = new KNeighborsClassifier({ nNeighbors: 2 }, 0);
    two.fit(train, Int32Array.from([1, 0, 0, 1]), 2);
    // 0.4: neighbours rows 0 (class 1) and 1 (class 0), one vote each: class 0.
    expect([...two.predictProba(fromRows([[0.4]]))]).toEqual([0.5, 0.5]);
    expect([...two.predict(fromRows([[0.4]]))]).toEqual([0]);
  });

  it('distance weights: a neighbour at distance 0 takes the whole vote', () => {
    const m = new KNeighborsClassifier({ nNeighbors: 3, weights: 'distance' }, 0);
    m.fit(
      fromRows([
        [0, 0],
        [1, 0],
        [0, 1],
      ]),
      Int32Array.from([0, 1, 1]),
      2,
    );
    expect([...m.predictProba(fromRows([[1, 0]]))]).toEqual([0, 1]);
  });

  it('is deterministic and its JSON round trip predicts bit-identically', () => {
    const { X, y } = randomData(250, 6, 4, 3);
    const a = new KNeighborsClassifier({ weights: 'distance' }, 1);
    const b = new KNeighborsClassifier({ weights: 'distance' }, 2);
    a.fit(X, y, 4);
    b.fit(X, y, 4);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const copy = KNeighborsClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    const { X: Qr } = randomData(40, 6, 4, 4);
    expect([...copy.predictProba(Qr)]).toEqual([...a.predictProba(Qr)]);
    expect([...copy.predict(Qr)]).toEqual([...a.predict(Qr)]);
  });

  it('probabilities sum to 1, predict is their argmax, an absent class gets 0', () => {
    const { X, y } = randomData(120, 4, 3, 12);
    const yMapped = y.map((c) => (c === 1 ? 3 : c)); // class 1 absent out of 4
    const m = new KNeighborsClassifier({}, 0);
    m.fit(X, yMapped, 4);
    const { X: Qr } = randomData(30, 4, 3, 13);
    const p = m.predictProba(Qr);
    const pred = m.predict(Qr);
    for (let i = 0; i < Qr.rows; i++) {
      let s = 0;
      let best = 0;
      for (let c = 0; c < 4; c++) {
        s += p[i * 4 + c]!;
        if (p[i * 4 + c]! > p[i * 4 + best]!) best = c;
      }
      expect(s).toBeCloseTo(1, 12);
      expect(p[i * 4 + 1]).toBe(0);
      expect(pred[i]).toBe(best);
    }
  });

  it('tiny data: fewer rows than neighbours, two classes, a constant feature', () => {
    const m = new KNeighborsClassifier({ nNeighbors: 5 }, 0);
    m.fit(
      fromRows([
        [0, 7],
        [2, 7],
      ]),
      Int32Array.from([0, 1]),
      2,
    );
    expect(m.k).toBe(2);
    expect([...m.predictProba(fromRows([[0.1, 7]]))]).toEqual([0.5, 0.5]);
    const d = new KNeighborsClassifier({ nNeighbors: 5, weights: 'distance' }, 0);
    d.fit(
      fromRows([
        [0, 7],
        [2, 7],
      ]),
      Int32Array.from([0, 1]),
      2,
    );
    expect([
      ...d.predict(
        fromRows([
          [0.1, 7],
          [1.9, 7],
        ]),
      ),
    ]).toEqual([0, 1]);
  });
});

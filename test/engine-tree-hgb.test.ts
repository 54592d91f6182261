import { describe, expect, it } from 'vitest';
import { blobs } from './support/engine-data.js';
import { expectProbaArgmax } from './support/engine-checks.js';
import { fromRows } from '../src/ml/matrix.js';
import { createRandom } from '../src/ml/random.js';
import { HistGradientBoostingClassifier, stratifiedSplit } from '../src/engines/tree/hist-gradient-boosting.js';

const sigmoid = (r: number): number => 1 / (1 + Math.exp(-r));

describe('HistGradientBoostingClassifier', () => {
  it('computes the second-order leaf values by hand on a binary stump', () => {
    // Prior 1/2: baseline 0, gradients p - y = +-1/2, hessians 1/4. The one split (at 1.5) gives
    // leaves -G/H = -(2 * 1/2) / (2 * 1/4) = -2 and +2, times the learning rate 1.
    const X = fromRows([[0], [1], [2], [3]]);
    const model = new HistGradientBoostingClassifier({ maxIter: 1, learningRate: 1, minSamplesLeaf: 1 }, 0);
    model.fit(X, Int32Array.from([0, 0, 1, 1]), 2);
    const e = model.ensemble;
    expect(e.trees).toBe(1);
    expect(e.threshold[0]).toBe(1.5);
    const raw = model.decisionFunction(fromRows([[1], [2]]));
    expect(raw[0]).toBeCloseTo(-2, 12);
    expect(raw[1]).toBeCloseTo(2, 12);
    const proba = model.predictProba(fromRows([[1]]));
    expect(proba[1]).toBeCloseTo(sigmoid(-2), 12);
    expect(proba[0]).toBeCloseTo(1 - sigmoid(-2), 12);

    // With l2Regularization 1 the leaves shrink to -1 / (1/2 + 1).
    const l2 = new HistGradientBoostingClassifier(
      { maxIter: 1, learningRate: 1, minSamplesLeaf: 1, l2Regularization: 1 },
      0,
    );
    l2.fit(X, Int32Array.from([0, 0, 1, 1]), 2);
    expect(l2.decisionFunction(fromRows([[0]]))[0]).toBeCloseTo(-1 / 1.5, 12);
  });

  it('starts from the class priors', () => {
    const X = fromRows(Array.from({ length: 12 }, (_, i) => [i]));
    const y = Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    // minSamplesLeaf larger than half the rows: no tree can split, every tree is one leaf.
    const model = new HistGradientBoostingClassifier({ maxIter: 1, learningRate: 1e-9, minSamplesLeaf: 7 }, 0);
    model.fit(X, y, 3);
    const proba = model.predictProba(fromRows([[0]]));
    expect(proba[0]).toBeCloseTo(0.5, 8);
    expect(proba[1]).toBeCloseTo(0.25, 8);
    expect(proba[2]).toBeCloseTo(0.25, 8);
    const binary = new HistGradientBoostingClassifier({ maxIter: 1, learningRate: 1e-9, minSamplesLeaf: 7 }, 0);
    binary.fit(
      X,
      Int32Array.from(y, (c) => (c === 0 ? 0 : 1)),
      2,
    );
    expect(binary.decisionFunction(fromRows([[0]]))[0]).toBeCloseTo(0, 8);
  });

  it('grows one tree per iteration for two classes and one per class for more', () => {
    const two = blobs(200, 3, 2, 1, 0.6);
    const binary = new HistGradientBoostingClassifier({ maxIter: 7 }, 0);
    binary.fit(two.X, two.y, 2);
    expect(binary.nIter).toBe(7);
    expect(binary.ensemble.trees).toBe(7);
    const four = blobs(200, 3, 4, 1, 0.6);
    const multi = new HistGradientBoostingClassifier({ maxIter: 7 }, 0);
    multi.fit(four.X, four.y, 4);
    expect(multi.ensemble.trees).toBe(28);
  });

  it('keeps to maxLeafNodes, maxDepth and minSamplesLeaf', () => {
    const { X, y } = blobs(600, 4, 3, 2, 0.6);
    const model = new HistGradientBoostingClassifier({ maxIter: 5, maxLeafNodes: 6, minSamplesLeaf: 25 }, 0);
    model.fit(X, y, 3);
    const e = model.ensemble;
    for (let t = 0; t < e.trees; t++) {
      const counts = new Map<number, number>();
      for (let i = 0; i < X.rows; i++) counts.set(e.leaf(t, X, i), (counts.get(e.leaf(t, X, i)) ?? 0) + 1);
      expect(counts.size).toBeLessThanOrEqual(6);
      expect(counts.size).toBeGreaterThan(1);
      for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(25);
    }
    const shallow = new HistGradientBoostingClassifier({ maxIter: 3, maxDepth: 2, maxLeafNodes: null }, 0);
    shallow.fit(X, y, 3);
    for (let t = 0; t < shallow.ensemble.trees; t++) expect(shallow.ensemble.depth(t)).toBeLessThanOrEqual(2);
  });

  it('is deterministic and its JSON predicts bit-identically', () => {
    const { X, y } = blobs(300, 5, 3, 3, 0.6);
    const test = blobs(100, 5, 3, 4, 0.6).X;
    const a = new HistGradientBoostingClassifier({ maxIter: 20, earlyStopping: true }, 9);
    const b = new HistGradientBoostingClassifier({ maxIter: 20, earlyStopping: true }, 9);
    a.fit(X, y, 3);
    b.fit(X, y, 3);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const restored = HistGradientBoostingClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(restored.predictProba(test))).toEqual(Array.from(a.predictProba(test)));
    expect(Array.from(restored.predict(test))).toEqual(Array.from(a.predict(test)));
  });

  it('gives probabilities that sum to 1, and predict is their argmax', () => {
    const { X, y } = blobs(240, 4, 4, 5, 0.6);
    const model = new HistGradientBoostingClassifier({ maxIter: 15 }, 0);
    model.fit(X, y, 4);
    expectProbaArgmax(model.predictProba(X), model.predict(X), X.rows, 4);
  });

  it('stops early by scikit-learn rule on the held-out loss', () => {
    const { X, y } = blobs(2000, 3, 3, 6, 0.6, 8);
    const model = new HistGradientBoostingClassifier({ maxIter: 500, earlyStopping: true, learningRate: 0.5 }, 0);
    model.fit(X, y, 3);
    const scores = model.validationScores;
    const n = model.nIter;
    expect(n).toBeLessThan(500);
    expect(scores.length).toBe(n + 1);
    expect(model.ensemble.trees).toBe(3 * n);
    const stopsAt = (k: number): boolean => {
      // scores[0..k] known: the last 10 do not beat the one before them by more than tol.
      if (k + 1 < 11) return false;
      const reference = scores[k - 10]! + 1e-7;
      return scores.slice(k - 9, k + 1).every((s) => !(s > reference));
    };
    expect(stopsAt(n)).toBe(true);
    for (let k = 0; k < n; k++) expect(stopsAt(k)).toBe(false);
    // 'auto' leaves it off at 10,000 rows or fewer.
    const auto = new HistGradientBoostingClassifier({ maxIter: 30, learningRate: 0.5 }, 0);
    auto.fit(X, y, 3);
    expect(auto.nIter).toBe(30);
    expect(auto.validationScores.length).toBe(0);
  });

  it('holds out a stratified share of the rows', () => {
    const y = Int32Array.from({ length: 103 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
    const [train, val] = stratifiedSplit(y, 3, 0.1, createRandom(4));
    expect(val.length).toBe(11);
    expect(train.length + val.length).toBe(103);
    expect(new Set([...train, ...val]).size).toBe(103);
    const per = [0, 0, 0];
    for (const i of val) per[y[i]!]!++;
    // Shares 6.41, 3.20, 1.39: floors 6, 3, 1 and the one left over to the largest remainder.
    expect(per).toEqual([7, 3, 1]);
    const [train2, val2] = stratifiedSplit(y, 3, 0.1, createRandom(4));
    expect(Array.from(val2)).toEqual(Array.from(val));
    expect(Array.from(train2)).toEqual(Array.from(train));
  });

  it('handles a class absent from y, a single class, a constant feature and tiny data', () => {
    const X = fromRows(Array.from({ length: 60 }, (_, i) => [3, i]));
    const y = Int32Array.from({ length: 60 }, (_, i) => (i < 30 ? 0 : 2));
    const model = new HistGradientBoostingClassifier({ maxIter: 10 }, 0);
    model.fit(X, y, 3);
    expect(model.ensemble.trees).toBe(10);
    const proba = model.predictProba(
      fromRows([
        [3, 0],
        [3, 59],
      ]),
    );
    expect(proba[1]).toBe(0);
    expect(proba[4]).toBe(0);
    expect(
      Array.from(
        model.predict(
          fromRows([
            [3, 0],
            [3, 59],
          ]),
        ),
      ),
    ).toEqual([0, 2]);
    for (let k = 0; k < model.ensemble.feature.length; k++) expect(model.ensemble.feature[k]).toBe(1);

    const single = new HistGradientBoostingClassifier({}, 0);
    single.fit(fromRows([[1], [2], [3]]), Int32Array.from([1, 1, 1]), 3);
    expect(Array.from(single.predictProba(fromRows([[0]])))).toEqual([0, 1, 0]);
    const restored = HistGradientBoostingClassifier.fromJSON(JSON.parse(JSON.stringify(single.toJSON())));
    expect(Array.from(restored.predict(fromRows([[5]])))).toEqual([1]);

    const tiny = new HistGradientBoostingClassifier({ maxIter: 5 }, 0);
    tiny.fit(fromRows([[1], [2]]), Int32Array.from([0, 1]), 2);
    const p = tiny.predictProba(fromRows([[1]]));
    expect(p[0]! + p[1]!).toBeCloseTo(1, 14);
  });

  it('learns a clean problem', () => {
    const { X, y } = blobs(600, 4, 3, 7, 0.6);
    const test = blobs(600, 4, 3, 8, 0.6);
    const model = new HistGradientBoostingClassifier({}, 0);
    model.fit(X, y, 3);
    const p = model.predict(test.X);
    let ok = 0;
    for (let i = 0; i < p.length; i++) if (p[i] === test.y[i]) ok++;
    expect(ok / p.length).toBeGreaterThan(0.85);
  });
});

import { describe, expect, it } from 'vitest';
import { blobs, sklearnFixture } from './support/engine-data.js';
import { expectProbaArgmax } from './support/engine-checks.js';
import { fromRows } from '../src/ml/matrix.js';
import { ExtraTreesClassifier, RandomForestClassifier, type ForestParams } from '../src/engines/tree/forest.js';
import type { TreeEnsemble } from '../src/engines/tree/ensemble.js';

type Forest = RandomForestClassifier | ExtraTreesClassifier;
const kinds = [
  ['RandomForestClassifier', (p: Partial<ForestParams>, seed: number): Forest => new RandomForestClassifier(p, seed)],
  ['ExtraTreesClassifier', (p: Partial<ForestParams>, seed: number): Forest => new ExtraTreesClassifier(p, seed)],
] as const;

function restore(model: Forest): Forest {
  const json = JSON.parse(JSON.stringify(model.toJSON()));
  return model instanceof RandomForestClassifier
    ? RandomForestClassifier.fromJSON(json)
    : ExtraTreesClassifier.fromJSON(json);
}

/** Distinct features the internal nodes of tree t use (nodes are numbered tree by tree). */
function featuresOfTree(e: TreeEnsemble, t: number): Set<number> {
  const used = new Set<number>();
  const stack = [e.roots[t]!];
  while (stack.length) {
    const node = stack.pop()!;
    if (node < 0) continue;
    used.add(e.feature[node]!);
    stack.push(e.left[node]!, e.right[node]!);
  }
  return used;
}

describe.each(kinds)('%s', (_name, make) => {
  it('is deterministic, depends on the seed, and its JSON predicts bit-identically', () => {
    const { X, y } = blobs(240, 6, 3, 1, 0.5, 4);
    const test = blobs(90, 6, 3, 2, 0.5, 4).X;
    const a = make({ nEstimators: 12 }, 5);
    const b = make({ nEstimators: 12 }, 5);
    const c = make({ nEstimators: 12 }, 6);
    a.fit(X, y, 3);
    b.fit(X, y, 3);
    c.fit(X, y, 3);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    expect(JSON.stringify(a.toJSON())).not.toBe(JSON.stringify(c.toJSON()));
    const restored = restore(a);
    expect(Array.from(restored.predictProba(test))).toEqual(Array.from(a.predictProba(test)));
    expect(Array.from(restored.predict(test))).toEqual(Array.from(a.predict(test)));
  });

  it('averages its trees: probabilities sum to 1 and predict is their argmax', () => {
    const { X, y } = blobs(200, 4, 4, 3, 0.5, 4);
    const model = make({ nEstimators: 7, maxDepth: 4 }, 0);
    model.fit(X, y, 4);
    const proba = model.predictProba(X);
    const labels = model.predict(X);
    const e = model.ensemble;
    expect(e.trees).toBe(7);
    expectProbaArgmax(proba, labels, X.rows, 4);
    for (let i = 0; i < X.rows; i++) {
      const row = Array.from(proba.subarray(i * 4, i * 4 + 4));
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let t = 0; t < e.trees; t++) sum += e.values[e.leaf(t, X, i) * 4 + c]!;
        expect(row[c]).toBeCloseTo(sum / e.trees, 14);
      }
    }
  });

  it('draws features at every split, not once per tree', () => {
    const { X, y } = blobs(300, 6, 3, 4, 0.5, 4);
    const model = make({ nEstimators: 1, maxFeatures: 1 }, 0);
    model.fit(X, y, 3);
    expect(featuresOfTree(model.ensemble, 0).size).toBeGreaterThan(3);
  });

  it('handles two classes, a constant feature, a class absent from y and tiny data', () => {
    const X = fromRows([
      [7, 0],
      [7, 1],
      [7, 2],
      [7, 3],
      [7, 10],
      [7, 11],
    ]);
    const model = make({ nEstimators: 20, bootstrap: false }, 1);
    model.fit(X, Int32Array.from([0, 0, 0, 2, 2, 2]), 3);
    const proba = model.predictProba(
      fromRows([
        [7, -1],
        [7, 50],
      ]),
    );
    expect(proba[1]).toBe(0);
    expect(proba[4]).toBe(0);
    expect(
      Array.from(
        model.predict(
          fromRows([
            [7, -1],
            [7, 50],
          ]),
        ),
      ),
    ).toEqual([0, 2]);
    for (const f of featuresOfTree(model.ensemble, 0)) expect(f).toBe(1);

    const two = make({ nEstimators: 3 }, 0);
    two.fit(fromRows([[1], [2]]), Int32Array.from([1, 0]), 2);
    const p = two.predictProba(fromRows([[1], [2]]));
    for (let i = 0; i < 2; i++) expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 14);
  });
});

describe('RandomForestClassifier', () => {
  it('without bootstrap or feature sampling grows exact CART trees (scikit-learn 1.2 on wine)', () => {
    const { X, y, classes } = sklearnFixture('wine');
    const model = new RandomForestClassifier({ nEstimators: 3, bootstrap: false, maxFeatures: null }, 0);
    model.fit(X, y, classes);
    const e = model.ensemble;
    // Every tie-break of DecisionTreeClassifier on wine gives 23 nodes, depth 5, root 12 at 755.
    for (let t = 0; t < 3; t++) {
      expect(e.depth(t)).toBe(5);
      expect(e.feature[e.roots[t]!]).toBe(12);
      expect(e.threshold[e.roots[t]!]).toBe(755);
    }
    expect(e.feature.length).toBe(3 * 11);
  });

  it('gives each bootstrap tree class fractions of its draws', () => {
    // One feature that separates nothing: each tree is a single leaf of its bootstrap's
    // class fractions, so the trees differ and each value is a multiple of 1/n.
    const n = 40;
    const X = fromRows(Array.from({ length: n }, () => [1]));
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    const model = new RandomForestClassifier({ nEstimators: 10 }, 3);
    model.fit(X, y, 2);
    const e = model.ensemble;
    expect(e.feature.length).toBe(0);
    const firsts = new Set<number>();
    for (let t = 0; t < 10; t++) {
      const p0 = e.values[2 * t]!;
      firsts.add(p0);
      expect(Math.abs(p0 * n - Math.round(p0 * n))).toBeLessThan(1e-9);
      expect(p0 + e.values[2 * t + 1]!).toBeCloseTo(1, 14);
    }
    expect(firsts.size).toBeGreaterThan(1);
  });
});

describe('ExtraTreesClassifier', () => {
  it('draws thresholds at random within the node range, not at midpoints', () => {
    const X = fromRows(Array.from({ length: 20 }, (_, i) => [i < 10 ? 0 : 10]));
    const y = Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1));
    const model = new ExtraTreesClassifier({ nEstimators: 30 }, 2);
    model.fit(X, y, 2);
    const e = model.ensemble;
    expect(e.feature.length).toBe(30);
    const thresholds = new Set(e.threshold);
    expect(thresholds.size).toBe(30);
    for (const t of e.threshold) {
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThan(10);
    }
    expect(Array.from(model.predict(fromRows([[0], [10]])))).toEqual([0, 1]);
  });

  it('stores leaf fractions that match the training rows its thresholds send there', () => {
    // Coarse quantile bins (8 per feature) put many values in each bin: the thresholds must still
    // send every training row to the leaf its bins went to during fitting.
    const { X, y } = blobs(300, 3, 3, 9, 0.5, 4);
    for (const maxBins of [8, 255]) {
      const model = new ExtraTreesClassifier({ nEstimators: 5, maxBins }, 4);
      model.fit(X, y, 3);
      const e = model.ensemble;
      for (let t = 0; t < e.trees; t++) {
        const counts = new Map<number, number[]>();
        for (let i = 0; i < X.rows; i++) {
          const leaf = e.leaf(t, X, i);
          const c = counts.get(leaf) ?? [0, 0, 0];
          c[y[i]!]!++;
          counts.set(leaf, c);
        }
        for (const [leaf, c] of counts) {
          const total = c[0]! + c[1]! + c[2]!;
          for (let k = 0; k < 3; k++) expect(e.values[leaf * 3 + k]).toBeCloseTo(c[k]! / total, 14);
        }
      }
    }
  });

  it('is close to a forest on a simple problem', () => {
    const { X, y } = blobs(300, 5, 3, 12, 0.5, 4);
    const test = blobs(300, 5, 3, 13, 0.5, 4);
    const accuracy = (m: Forest): number => {
      const p = m.predict(test.X);
      let ok = 0;
      for (let i = 0; i < p.length; i++) if (p[i] === test.y[i]) ok++;
      return ok / p.length;
    };
    const et = new ExtraTreesClassifier({ nEstimators: 30 }, 0);
    et.fit(X, y, 3);
    const rf = new RandomForestClassifier({ nEstimators: 30 }, 0);
    rf.fit(X, y, 3);
    expect(accuracy(et)).toBeGreaterThan(0.8);
    expect(accuracy(rf)).toBeGreaterThan(0.8);
  });
});

import { describe, expect, it } from 'vitest';
import { blobs, sklearnFixture } from './support/engine-data.js';
import { expectProbaArgmax } from './support/engine-checks.js';
import { fromRows } from '../src/ml/matrix.js';
import { createRandom } from '../src/ml/random.js';
import { binFeatures, midpoint } from '../src/engines/tree/binning.js';
import { DecisionTreeClassifier } from '../src/engines/tree/decision-tree.js';
import { resolveMaxFeatures } from '../src/engines/tree/params.js';
import { encodeArray } from '../src/engines/encode.js';

const roundTrip = (model: DecisionTreeClassifier): DecisionTreeClassifier =>
  DecisionTreeClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));

describe('binning', () => {
  it('gives each distinct value its own bin when there are at most maxBins', () => {
    const X = fromRows([[3], [1], [2], [1], [3], [7]]);
    const b = binFeatures(X, 255);
    expect(b.binCount[0]).toBe(4);
    expect(Array.from(b.bins)).toEqual([2, 0, 1, 0, 2, 3]);
    expect(Array.from(b.lo)).toEqual([1, 2, 3, 7]);
    expect(Array.from(b.hi)).toEqual([1, 2, 3, 7]);
  });

  it('bins small integers and other values alike', () => {
    const values = [2, 0.5, 2, -1, 1024, 1023, -0, 0, 1023, 7];
    const b = binFeatures(fromRows(values.map((v) => [v])), 255);
    // -0 and 0 are one value (one bin), whichever of them came first.
    expect(Array.from(b.lo, (v) => v + 0)).toEqual([-1, 0, 0.5, 2, 7, 1023, 1024]);
    expect(Array.from(b.bins)).toEqual([3, 2, 3, 0, 6, 5, 1, 1, 5, 4]);
  });

  it('puts every value inside its bin and about equal rows in quantile bins', () => {
    const random = createRandom(1);
    const data = Array.from({ length: 5000 }, () => [random() ** 3, Math.floor(random() * 4)]);
    const X = fromRows(data);
    const b = binFeatures(X, 16);
    expect(b.binCount[0]).toBe(16);
    expect(b.binCount[1]).toBe(4);
    const sizes = new Array<number>(16).fill(0);
    let outside = 0;
    for (let j = 0; j < 2; j++)
      for (let i = 0; i < X.rows; i++) {
        const bin = b.bins[j * X.rows + i]!;
        const v = X.values[j * X.rows + i]!;
        const at = b.binOffset[j]! + bin;
        if (v < b.lo[at]! || v > b.hi[at]!) outside++;
        if (j === 0) sizes[bin]!++;
      }
    expect(outside).toBe(0);
    for (let k = 1; k < 16; k++) expect(b.lo[k]!).toBeGreaterThan(b.hi[k - 1]!);
    for (const size of sizes) expect(Math.abs(size - 5000 / 16)).toBeLessThan(5);
  });

  it('keeps a heavy value from starving the other bins', () => {
    const data = Array.from({ length: 1000 }, (_, i) => [i < 600 ? 0 : i]);
    const b = binFeatures(fromRows(data), 10);
    expect(b.binCount[0]).toBe(10);
    expect(b.hi[0]).toBe(0);
    expect(b.lo[1]).toBe(600);
  });

  it('refuses missing values', () => {
    expect(() => binFeatures(fromRows([[1], [NaN]]), 255)).toThrow(/missing/);
  });

  it('places thresholds strictly between neighbours', () => {
    expect(midpoint(1, 2)).toBe(1.5);
    expect(midpoint(1, 1 + Number.EPSILON)).toBe(1);
    expect(midpoint(-Number.MAX_VALUE, Number.MAX_VALUE)).toBe(0);
    expect(midpoint(1, Infinity)).toBe(1);
  });
});

describe('DecisionTreeClassifier', () => {
  it('splits midway between the classes on one feature', () => {
    const X = fromRows([[1], [2], [3], [10], [11], [12]]);
    const model = new DecisionTreeClassifier({}, 0);
    model.fit(X, Int32Array.from([0, 0, 0, 1, 1, 1]), 2);
    const tree = model.ensemble;
    expect(tree.feature.length).toBe(1);
    expect(tree.threshold[0]).toBe(6.5);
    expect(Array.from(model.predict(fromRows([[6.5], [6.6], [-5], [99]])))).toEqual([0, 1, 0, 1]);
  });

  it('learns XOR with two levels', () => {
    const X = fromRows([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
      [1, 1],
    ]);
    const y = Int32Array.from([0, 1, 1, 0, 0, 0]);
    const model = new DecisionTreeClassifier({}, 3);
    model.fit(X, y, 2);
    expect(Array.from(model.predict(X))).toEqual(Array.from(y));
    expect(model.ensemble.depth(0)).toBe(2);
  });

  it('grows the same tree as scikit-learn 1.2 on wine (every feature splits exactly)', () => {
    // DecisionTreeClassifier(random_state=s).fit(wine) for every s in 0..19: 23 nodes, depth 5,
    // root on feature 12 (proline) at 755.0; entropy: 15 nodes, depth 4, root on 6 at 1.575.
    const { X, y, classes } = sklearnFixture('wine');
    for (const [criterion, nodes, depth, feature, threshold] of [
      ['gini', 23, 5, 12, 755],
      ['entropy', 15, 4, 6, 1.575],
    ] as const) {
      for (const seed of [0, 1, 2]) {
        const model = new DecisionTreeClassifier({ criterion }, seed);
        model.fit(X, y, classes);
        const tree = model.ensemble;
        expect(2 * tree.feature.length + 1).toBe(nodes);
        expect(tree.depth(0)).toBe(depth);
        expect(tree.feature[0]).toBe(feature);
        expect(tree.threshold[0]).toBeCloseTo(threshold, 12);
        expect(Array.from(model.predict(X))).toEqual(Array.from(y));
      }
    }
  });

  it('grows scikit-learn 1.2 trees on digits, whose features turn constant in whole subtrees', () => {
    // DecisionTreeClassifier(random_state=s).fit(digits), s in 0..19: 335 or 337 nodes (ties
    // broken differently), depth 15, root on pixel 36 at 0.5.
    const { X, y, classes } = sklearnFixture('digits');
    for (const seed of [0, 1, 2, 3]) {
      const model = new DecisionTreeClassifier({}, seed);
      model.fit(X, y, classes);
      const tree = model.ensemble;
      expect([335, 337]).toContain(2 * tree.feature.length + 1);
      expect(tree.depth(0)).toBe(15);
      expect(tree.feature[0]).toBe(36);
      expect(Array.from(model.predict(X))).toEqual(Array.from(y));
    }
  });

  it('is deterministic and its JSON predicts bit-identically', () => {
    const { X, y } = blobs(300, 5, 3, 7);
    const a = new DecisionTreeClassifier({ maxFeatures: 2 }, 11);
    const b = new DecisionTreeClassifier({ maxFeatures: 2 }, 11);
    a.fit(X, y, 3);
    b.fit(X, y, 3);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const test = blobs(100, 5, 3, 8).X;
    const restored = roundTrip(a);
    expect(Array.from(restored.predictProba(test))).toEqual(Array.from(a.predictProba(test)));
    expect(Array.from(restored.predict(test))).toEqual(Array.from(a.predict(test)));
    expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(a.toJSON()));
  });

  it('gives leaf class fractions that sum to 1, and predict is their argmax', () => {
    const { X, y } = blobs(200, 3, 4, 2);
    const model = new DecisionTreeClassifier({ maxDepth: 3, minSamplesLeaf: 5 }, 0);
    model.fit(X, y, 4);
    expectProbaArgmax(model.predictProba(X), model.predict(X), X.rows, 4);
  });

  it('respects maxDepth, minSamplesLeaf and minSamplesSplit', () => {
    const { X, y } = blobs(400, 4, 3, 5);
    const shallow = new DecisionTreeClassifier({ maxDepth: 2 }, 0);
    shallow.fit(X, y, 3);
    expect(shallow.ensemble.depth(0)).toBeLessThanOrEqual(2);
    const leafy = new DecisionTreeClassifier({ minSamplesLeaf: 17 }, 0);
    leafy.fit(X, y, 3);
    const counts = new Map<number, number>();
    for (const leaf of leafy.apply(X)) counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
    for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(17);
    const split = new DecisionTreeClassifier({ minSamplesSplit: 400 }, 0);
    split.fit(X, y, 3);
    expect(split.ensemble.feature.length).toBe(1);
    const none = new DecisionTreeClassifier({ minSamplesSplit: 401 }, 0);
    none.fit(X, y, 3);
    expect(none.ensemble.feature.length).toBe(0);
  });

  it('handles two classes, a constant feature and a class absent from y', () => {
    const X = fromRows([
      [5, 1],
      [5, 2],
      [5, 3],
      [5, 4],
    ]);
    const model = new DecisionTreeClassifier({}, 0);
    model.fit(X, Int32Array.from([0, 0, 2, 2]), 3);
    expect(model.ensemble.feature[0]).toBe(1);
    expect(model.ensemble.threshold[0]).toBe(2.5);
    const proba = model.predictProba(
      fromRows([
        [5, 0],
        [5, 9],
      ]),
    );
    expect(Array.from(proba)).toEqual([1, 0, 0, 0, 0, 1]);
  });

  it('makes a single leaf of class priors when every feature is constant', () => {
    const X = fromRows([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    const model = new DecisionTreeClassifier({}, 0);
    model.fit(X, Int32Array.from([1, 0, 1]), 2);
    expect(model.ensemble.feature.length).toBe(0);
    const p = model.predictProba(fromRows([[0, 0]]));
    expect(p[0]).toBeCloseTo(1 / 3, 15);
    expect(p[1]).toBeCloseTo(2 / 3, 15);
    expect(Array.from(model.predict(X))).toEqual([1, 1, 1]);
  });

  it('fits one row and two rows', () => {
    const one = new DecisionTreeClassifier({}, 0);
    one.fit(fromRows([[3]]), Int32Array.from([1]), 2);
    expect(Array.from(one.predictProba(fromRows([[0]])))).toEqual([0, 1]);
    const two = new DecisionTreeClassifier({}, 0);
    two.fit(fromRows([[3], [4]]), Int32Array.from([1, 0]), 2);
    expect(Array.from(two.predict(fromRows([[3], [4]])))).toEqual([1, 0]);
  });

  it('splits by entropy too', () => {
    // A case where scikit-learn's stumps disagree: gini cuts at 9.5, entropy at 5.5.
    const X = fromRows([[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]);
    const y = Int32Array.from([0, 1, 0, 0, 1, 2, 0, 2, 0, 1]);
    const gini = new DecisionTreeClassifier({ maxDepth: 1 }, 0);
    gini.fit(X, y, 3);
    const entropy = new DecisionTreeClassifier({ maxDepth: 1, criterion: 'entropy' }, 0);
    entropy.fit(X, y, 3);
    expect(gini.ensemble.threshold[0]).toBe(9.5);
    expect(entropy.ensemble.threshold[0]).toBe(5.5);
  });

  it('resolves maxFeatures as scikit-learn does', () => {
    expect(resolveMaxFeatures(null, 64)).toBe(64);
    expect(resolveMaxFeatures('sqrt', 64)).toBe(8);
    expect(resolveMaxFeatures('sqrt', 20)).toBe(4);
    expect(resolveMaxFeatures('log2', 30)).toBe(4);
    expect(resolveMaxFeatures(0.5, 9)).toBe(4);
    expect(resolveMaxFeatures(0.01, 9)).toBe(1);
    expect(resolveMaxFeatures(3, 9)).toBe(3);
    expect(resolveMaxFeatures(30, 9)).toBe(9);
  });

  it('refuses a JSON whose trees do not hold together', () => {
    const { X, y } = blobs(60, 2, 2, 1);
    const model = new DecisionTreeClassifier({}, 0);
    model.fit(X, y, 2);
    const json = model.toJSON();
    expect(() => DecisionTreeClassifier.fromJSON({ ...json, kind: 'extra-trees' } as never)).toThrow(/JSON/);
    const tree = model.ensemble;
    const badLeft = Int32Array.from(tree.left);
    badLeft[0] = tree.feature.length + 5;
    const broken = { ...json, tree: { ...json.tree, left: encodeArray(badLeft) } };
    expect(() => DecisionTreeClassifier.fromJSON(broken)).toThrow(/dangling/);
  });

  it('rejects bad parameters and inputs', () => {
    expect(() => new DecisionTreeClassifier({ maxBins: 300 }, 0)).toThrow(/maxBins/);
    expect(() => new DecisionTreeClassifier({ minSamplesSplit: 1 }, 0)).toThrow(/minSamplesSplit/);
    expect(() => new DecisionTreeClassifier({ maxFeatures: 0 }, 0)).toThrow(/maxFeatures/);
    const model = new DecisionTreeClassifier({}, 0);
    expect(() => model.fit(fromRows([[1]]), Int32Array.from([2]), 2)).toThrow(/label/);
    model.fit(fromRows([[1], [2]]), Int32Array.from([0, 1]), 2);
    expect(() => model.predict(fromRows([[1, 2]]))).toThrow(/features/);
  });
});

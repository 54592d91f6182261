// One conformance check run over every registered model, in the spirit of scikit-learn's
// check_estimator: the contract callers rely on, not each model's internals.
import { describe, expect, it } from 'vitest';
import { loadIris } from '../src/data/iris.js';
import { builtinModels } from '../src/models/index.js';
import { applyScaler, fitScaler } from '../src/ml/preprocess.js';
import { stratifiedSplit } from '../src/ml/split.js';
import { gatherLabels, gatherRows } from '../src/execution/run-task.js';
import { toDataRef } from '../src/train/evaluate-model.js';

const iris = loadIris();
const data = toDataRef(iris);
const { train, test } = stratifiedSplit(iris.labels, iris.classNames, 0.3, 3);

describe.each(builtinModels.map((def) => [def.id, def] as const))('%s', (_id, def) => {
  const scaler = fitScaler(def.preprocess ?? 'none', gatherRows(data, train));
  const Xtrain = applyScaler(scaler, gatherRows(data, train));
  const ytrain = gatherLabels(data, train);
  const Xtest = applyScaler(scaler, gatherRows(data, test));
  const ytest = gatherLabels(data, test);

  it('fits and predicts one class index per row, well above chance', async () => {
    const estimator = def.create(def.params, { seed: 1, classes: 3 });
    await estimator.fit(Xtrain, ytrain);
    const predicted = estimator.predict(Xtest);
    expect(predicted).toHaveLength(Xtest.length);
    for (const p of predicted) expect([0, 1, 2]).toContain(p);
    // All three classes appear: an adapter that collapses to one class (ml-svm on 3 classes) fails.
    expect(new Set(predicted).size).toBe(3);
    const accuracy = predicted.filter((p, i) => p === ytest[i]).length / ytest.length;
    expect(accuracy).toBeGreaterThan(0.85);
  });

  it('is deterministic for a seed', async () => {
    const a = def.create(def.params, { seed: 5, classes: 3 });
    const b = def.create(def.params, { seed: 5, classes: 3 });
    await a.fit(Xtrain, ytrain);
    await b.fit(Xtrain, ytrain);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
  });

  it('handles two classes', async () => {
    const rows = train.filter((r) => iris.labels[r] !== 0);
    const estimator = def.create(def.params, { seed: 1, classes: 2 });
    await estimator.fit(
      applyScaler(scaler, gatherRows(data, rows)),
      gatherLabels(data, rows).map((y) => y - 1),
    );
    for (const p of estimator.predict(Xtest)) expect([0, 1]).toContain(p);
  });

  it('its JSON, sent through a string, loads back and predicts the same', async () => {
    const estimator = def.create(def.params, { seed: 1, classes: 3 });
    await estimator.fit(Xtrain, ytrain);
    const loaded = def.load(JSON.parse(JSON.stringify(estimator.toJSON())));
    expect(loaded.predict(Xtest)).toEqual(estimator.predict(Xtest));
  });
});

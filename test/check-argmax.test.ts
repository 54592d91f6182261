// checkModel's probabilities checks: predict() must name a class of highest probability unless
// the definition says it may not (predictIsArgmax: false, as the one-vs-one svm does).
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/models/check.js';
import knn from '../src/models/knn.js';
import svm from '../src/models/svm.js';
import type { ModelDefinition } from '../src/ml/estimator.js';

const CHECK = 'predict() names a class of highest probability, unless the definition says it may not';

/** knn whose probabilities put the most weight on the next class after the predicted one. */
const shifted = (predictIsArgmax?: boolean): ModelDefinition => ({
  ...knn,
  id: 'shifted',
  ...(predictIsArgmax === undefined ? {} : { predictIsArgmax }),
  create(params, ctx) {
    const inner = knn.create(params, ctx);
    return {
      ...inner,
      fit: (X, y) => inner.fit(X, y),
      predict: (X) => inner.predict(X),
      toJSON: () => inner.toJSON(),
      predictProba(X) {
        const predicted = inner.predict(X);
        const out = new Float64Array(X.rows * ctx.classes);
        for (let i = 0; i < X.rows; i++) out[i * ctx.classes + ((predicted[i]! + 1) % ctx.classes)] = 1;
        return out;
      },
    };
  },
});

describe('checkModel: arg-max of the probabilities and predict()', () => {
  it('fails a model whose probabilities name another class than predict(), saying how to fix it', async () => {
    const report = await checkModel(shifted());
    const failure = report.failed.find((f) => f.check === CHECK);
    expect(failure?.message).toMatch(
      /^row 0: predict\(\) says class \d, predictProba\(\) gives class \d the highest probability .*predictIsArgmax: false/,
    );
  });

  it('passes it when the definition says predict() may disagree, and passes the real models', async () => {
    expect((await checkModel(shifted(false))).failed).toEqual([]);
    for (const def of [knn, svm]) expect((await checkModel(def)).passed).toContain(CHECK);
    expect(svm.predictIsArgmax).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { loadIris } from '../src/data/iris.js';
import { applyScaler, fitScaler } from '../src/ml/preprocess.js';
import { foldTrainRows, stratifiedKFold } from '../src/ml/split.js';
import { taskRows } from '../src/execution/run-task.js';
import { column } from '../src/ml/matrix.js';
import { toDataRef } from '../src/train/plan.js';
import { fixture, train } from './support/helpers.js';

describe('preprocessing is fitted on each training fold only', () => {
  it('the probe model sees exactly standardized training rows in every fold and the final fit', async () => {
    const run = await train([
      '--model-module',
      fixture('models/scaler-probe.mjs'),
      '--models',
      'scaler-probe',
      '--cv',
      '5',
    ]);
    expect(run.stderr).toBe('');
    expect(run.report!.models[0]).toMatchObject({
      id: 'scaler-probe',
      status: 'ok',
      preprocess: 'standardize',
      cv: { k: 5 },
    });
  });

  it('the probe would catch a scaler fitted on the whole data set (so the test above can fail)', () => {
    const iris = loadIris();
    const data = toDataRef(iris);
    const all = Array.from({ length: 150 }, (_, i) => i);
    const fold = stratifiedKFold(iris.labels, all, iris.classNames, 5, 42)[0]!;
    const leaky = fitScaler('standardize', taskRows(data, all));
    const X = applyScaler(leaky, taskRows(data, foldTrainRows(all, fold)));
    const means = [0, 1, 2, 3].map((j) => column(X, j).reduce((s, v) => s + v, 0) / X.rows);
    expect(Math.max(...means.map(Math.abs))).toBeGreaterThan(1e-6);
  });

  it('--preprocess none overrides the definition, and the probe then fails with its message', async () => {
    const run = await train([
      '--model-module',
      fixture('models/scaler-probe.mjs'),
      '--models',
      'scaler-probe',
      '--preprocess',
      'none',
    ]);
    expect(run.code).toBe(1);
    expect(run.report!.models[0]).toMatchObject({
      status: 'failed',
      preprocess: 'none',
      error: { message: expect.stringContaining('scaled with rows outside') },
    });
  });
});

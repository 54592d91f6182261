// The conformance checks every model passes, as a function anyone can run on a definition, in the
// spirit of scikit-learn's check_estimator: the contract the runner relies on, not a model's
// internals. Each failed check says what went wrong and how to fix it.
import { loadIris } from '../data/iris.js';
import { expectedCost, type Estimator, type ModelDefinition, type RowModelDefinition } from '../ml/estimator.js';
import { gatherRows, type Matrix } from '../ml/matrix.js';
import { applyScaler, fitScaler } from '../ml/preprocess.js';
import { stratifiedSplit } from '../ml/split.js';
import { asMatrixModel } from './adapter.js';

export interface CheckFailure {
  check: string;
  /** What went wrong, and how to fix it. */
  message: string;
}

export interface CheckReport {
  id: string;
  passed: string[];
  failed: CheckFailure[];
}

/** Something a check found wrong: the words of the failure. */
class Problem extends Error {}

const reason = (error: unknown) =>
  error instanceof Problem
    ? error.message
    : `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;

interface Part {
  X: Matrix;
  y: Int32Array;
}

/** Iris, split and scaled as the runner would for this definition: the data every check uses. */
function irisParts(def: ModelDefinition) {
  const iris = loadIris();
  const { train, test } = stratifiedSplit(iris.labels, iris.classNames, 0.3, 3);
  const labelsOf = (rows: number[]) => Int32Array.from(rows, (r) => iris.labels[r]!);
  const scaler = fitScaler(def.preprocess ?? 'none', gatherRows(iris.features, iris.cols, train));
  const part = (rows: number[]): Part => ({
    X: applyScaler(scaler, gatherRows(iris.features, iris.cols, rows)),
    y: labelsOf(rows),
  });
  // Two classes: the second and third, relabelled 0 and 1.
  const two = (rows: number[]): Part => {
    const kept = rows.filter((r) => iris.labels[r] !== 0);
    return { X: part(kept).X, y: Int32Array.from(kept, (r) => iris.labels[r]! - 1) };
  };
  return { train: part(train), test: part(test), twoTrain: two(train), twoTest: two(test) };
}

function predictions(estimator: Estimator, X: Matrix, classes: number): Int32Array {
  const raw = estimator.predict(X);
  if (raw === null || typeof raw !== 'object' || typeof raw.length !== 'number')
    throw new Problem('predict() must return an array (or Int32Array) of class indices, one per row');
  if (raw.length !== X.rows)
    throw new Problem(`predict() returned ${raw.length} values for ${X.rows} rows; return one class index per row`);
  const out = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i]!;
    if (!Number.isInteger(p) || p < 0 || p >= classes)
      throw new Problem(
        `predict() returned ${JSON.stringify(p)} for row ${i}; return class indices 0..${classes - 1} (the labels fit() was given), not class names or scores`,
      );
    out[i] = p;
  }
  return out;
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => v === b[i]);

/** Runs every check on a definition (a built-in, or one from a --model-module). */
export async function checkModel(definition: ModelDefinition | RowModelDefinition): Promise<CheckReport> {
  const def = asMatrixModel(definition);
  const report: CheckReport = { id: def.id, passed: [], failed: [] };
  const run = async (check: string, body: () => unknown) => {
    try {
      await body();
      report.passed.push(check);
    } catch (error) {
      report.failed.push({ check, message: reason(error) });
    }
  };
  const { train, test, twoTrain, twoTest } = irisParts(def);
  const fresh = (seed = 1, classes = 3) => def.create(def.params, { seed, classes });

  await run('params', () => {
    const parse = (params: unknown, what: string) => {
      if (!def.schema) return;
      const parsed = def.schema.safeParse(params);
      if (!parsed.success)
        throw new Problem(
          `${what} do not match the params schema (${parsed.error.issues[0]?.path.join('.') || 'params'}: ${parsed.error.issues[0]?.message}); make them agree`,
        );
    };
    if (JSON.stringify(JSON.parse(JSON.stringify(def.params))) !== JSON.stringify(def.params))
      throw new Problem('params must be plain JSON (no undefined, Infinity or NaN: use null)');
    parse(def.params, 'the default params');
    for (const [key, values] of Object.entries(def.grid ?? {}))
      for (const value of values as unknown[])
        parse({ ...def.params, [key]: value }, `grid value ${key}=${JSON.stringify(value)}`);
  });

  await run('cost', () => {
    const seconds = expectedCost(def, { rows: 1000, features: 20, classes: 3, params: def.params });
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new Problem(`cost() returned ${seconds} for 1000 rows x 20 features; return the expected seconds, above 0`);
  });

  let fittedEstimator: Estimator | undefined;
  let predicted: Int32Array | undefined;
  await run('fits and predicts one class index per row', async () => {
    fittedEstimator = fresh();
    await fittedEstimator.fit(train.X, train.y);
    predicted = predictions(fittedEstimator, test.X, 3);
  });

  await run('well above chance on iris, every class predicted', () => {
    if (!predicted) throw new Problem('needs fit and predict to work first');
    // A baseline is at chance by design: what it must do is fit and predict, checked above.
    if (def.baseline) return;
    const accuracy = predicted.filter((p, i) => p === test.y[i]).length / test.y.length;
    if (new Set(predicted).size !== 3)
      throw new Problem(
        `predicted only classes ${[...new Set(predicted)].join(', ')} of 0, 1, 2; a model that collapses to one class is broken`,
      );
    if (accuracy <= 0.85)
      throw new Problem(`accuracy ${accuracy.toFixed(3)} on iris's test part; a working classifier scores above 0.85`);
  });

  await run('deterministic for a seed', async () => {
    const a = fresh(5);
    const b = fresh(5);
    await a.fit(train.X, train.y);
    await b.fit(train.X, train.y);
    if (JSON.stringify(a.toJSON()) !== JSON.stringify(b.toJSON()))
      throw new Problem(
        'two fits with the same seed and data gave different toJSON(); draw every random number from ctx.seed',
      );
  });

  await run('handles two classes', async () => {
    const estimator = fresh(1, 2);
    await estimator.fit(twoTrain.X, twoTrain.y);
    predictions(estimator, twoTest.X, 2);
  });

  await run('its JSON, through a string, loads back and predicts the same', async () => {
    if (!fittedEstimator || !predicted) throw new Problem('needs fit and predict to work first');
    const loaded = def.load(JSON.parse(JSON.stringify(fittedEstimator.toJSON())));
    if (!same(predictions(loaded, test.X, 3), predicted))
      throw new Problem('the loaded model predicts differently; toJSON() must hold everything load() needs');
  });

  await run('probabilities as declared', () => {
    if (!fittedEstimator) throw new Problem('needs fit to work first');
    const has = typeof fittedEstimator.predictProba === 'function';
    if (has !== (def.probabilities === true))
      throw new Problem(
        def.probabilities
          ? 'the definition says probabilities: true but the estimator has no predictProba(); add it or drop the flag'
          : 'the estimator has predictProba() but the definition does not say probabilities: true; add the flag',
      );
    if (!has) return;
    const proba = fittedEstimator.predictProba!(test.X);
    if (!(proba instanceof Float64Array) || proba.length !== test.X.rows * 3)
      throw new Problem(
        `predictProba() must return a Float64Array of rows x classes (${test.X.rows * 3} values), row-major`,
      );
    for (let i = 0; i < test.X.rows; i++) {
      let sum = 0;
      for (let c = 0; c < 3; c++) {
        const p = proba[i * 3 + c]!;
        if (!(p >= 0 && p <= 1)) throw new Problem(`predictProba() gave ${p} in row ${i}; probabilities lie in [0, 1]`);
        sum += p;
      }
      if (Math.abs(sum - 1) > 1e-6) throw new Problem(`predictProba()'s row ${i} sums to ${sum}, not 1`);
    }
  });

  await run('predict() names a class of highest probability, unless the definition says it may not', () => {
    if (!fittedEstimator?.predictProba || !predicted || def.predictIsArgmax === false) return;
    const proba = fittedEstimator.predictProba(test.X);
    for (let i = 0; i < test.X.rows; i++) {
      let best = 0;
      for (let c = 1; c < 3; c++) if (proba[i * 3 + c]! > proba[i * 3 + best]!) best = c;
      // A tie may go either way: predict only has to name one of the most probable classes.
      if (proba[i * 3 + predicted[i]!]! < proba[i * 3 + best]! - 1e-12)
        throw new Problem(
          `row ${i}: predict() says class ${predicted[i]}, predictProba() gives class ${best} the highest probability (${proba[i * 3 + best]!.toFixed(4)} vs ${proba[i * 3 + predicted[i]!]!.toFixed(4)}); make them agree, or say predictIsArgmax: false in the definition if predict() is not meant to follow the probabilities`,
        );
    }
  });
  return report;
}

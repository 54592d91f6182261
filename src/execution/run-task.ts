// What a worker thread does with a task. Shared by every execution backend (the local pool's
// threads, and those of a BullMQ worker process) so that all of them compute exactly the same.
import { gatherRows, type Matrix } from '../ml/matrix.js';
import { applyScaler, fitScaler } from '../ml/preprocess.js';
import { createRegistry, type Registry } from '../models/registry.js';
import { failure, type SharedDataRef, type Task, type TaskResult, type TrainTask } from './protocol.js';
import { setOutputLabel } from './thread-guard.js';

const registries = new Map<string, Promise<Registry>>();

/** One registry per set of user modules, imported once per worker. */
function registryFor(modules: readonly string[]): Promise<Registry> {
  const key = JSON.stringify(modules);
  let registry = registries.get(key);
  if (!registry) {
    registry = createRegistry(modules);
    registries.set(key, registry);
  }
  return registry;
}

/** The task's rows of the shared data set, as the estimator contract takes them. */
export function taskRows(data: SharedDataRef, indices: readonly number[]): Matrix {
  return gatherRows(new Float64Array(data.features, 0, data.rows * data.cols), data.cols, indices);
}

export function taskLabels(data: SharedDataRef, indices: readonly number[]): Int32Array {
  const labels = new Int32Array(data.labels, 0, data.rows);
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = labels[indices[i]!]!;
  return out;
}

/** The predictions as plain class indices, or an error saying what the model got wrong. */
function checkedPredictions(predictions: ArrayLike<number>, rows: number, classes: number): number[] {
  if (predictions === null || typeof predictions !== 'object' || typeof predictions.length !== 'number')
    throw new Error(
      `predict() returned ${predictions === null ? 'null' : typeof predictions}, not one class index per row`,
    );
  if (predictions.length !== rows) throw new Error(`predict() returned ${predictions.length} values for ${rows} rows`);
  const out = new Array<number>(rows);
  for (let i = 0; i < rows; i++) {
    const p = predictions[i]!;
    if (!Number.isInteger(p) || p < 0 || p >= classes)
      throw new Error(
        `predict() returned ${JSON.stringify(p)} for row ${i}; labels must be class indices 0..${classes - 1}`,
      );
    out[i] = p;
  }
  return out;
}

/** The probabilities as the contract says (rows x classes, each row summing to 1), or an error saying what is wrong. */
function checkedProbabilities(proba: unknown, rows: number, classes: number): Float64Array {
  if (!(proba instanceof Float64Array))
    throw new Error('predictProba() must return a Float64Array of rows x classes, row-major');
  if (proba.length !== rows * classes)
    throw new Error(`predictProba() returned ${proba.length} values for ${rows} rows x ${classes} classes`);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const p = proba[i * classes + c]!;
      if (!(p >= 0 && p <= 1)) throw new Error(`predictProba() gave ${p} in row ${i}; probabilities lie in [0, 1]`);
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-6) throw new Error(`predictProba()'s row ${i} sums to ${sum}, not 1`);
  }
  return proba;
}

async function fitAndPredict(task: TrainTask): Promise<TaskResult> {
  // What a module prints while it is imported is the module's, not the model's of this task.
  setOutputLabel('model module');
  const definition = (await registryFor(task.modules)).get(task.modelId);
  if (!definition) throw new Error(`model "${task.modelId}" is not registered in this worker`);
  setOutputLabel(task.modelId);
  const data = task.data;
  // A distributed worker resolves a hash reference to shared memory before calling runTask.
  if (data.kind !== 'shared') throw new Error(`data set ${data.sha256} was not resolved to memory before the task ran`);
  const trainX = taskRows(data, task.train);
  const scaler = fitScaler(task.preprocess, trainX);
  applyScaler(scaler, trainX);
  const estimator = definition.create(task.params, { seed: task.seed, classes: data.classes });

  const fitStart = performance.now();
  await estimator.fit(trainX, taskLabels(data, task.train));
  const fitMs = performance.now() - fitStart;

  const testX = applyScaler(scaler, taskRows(data, task.test));
  const predictStart = performance.now();
  // Libraries differ on empty input (some throw): with --test-size 0 there is nothing to predict.
  const raw = testX.rows === 0 ? [] : estimator.predict(testX);
  const predictMs = performance.now() - predictStart;
  const predictions = checkedPredictions(raw, testX.rows, data.classes);

  const result: TaskResult = { status: 'ok', predictions, fitMs, predictMs };
  if (definition.probabilities && estimator.predictProba && testX.rows > 0)
    result.proba = checkedProbabilities(estimator.predictProba(testX), testX.rows, data.classes);
  if (task.keepModel) {
    result.model = JSON.stringify({
      modelId: task.modelId,
      // Which code can load it: the same id may be trained by another engine in a later version.
      library: definition.library,
      params: task.params,
      scaler,
      estimator: estimator.toJSON(),
    });
  }
  return result;
}

/** Runs one task. A model that throws is a failed result, never a rejected promise. */
export async function runTask(task: Task): Promise<TaskResult> {
  if (task.kind === 'ping') return { status: 'ok', predictions: [], fitMs: 0, predictMs: 0 };
  try {
    return await fitAndPredict(task);
  } catch (error) {
    return failure('threw', error);
  } finally {
    // Whatever the model prints after it returned (a stray timer) is the worker's to show.
    setOutputLabel('worker');
  }
}

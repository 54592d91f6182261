// What a worker does with a task. Shared by every execution backend (the piscina worker, and the
// threads of a BullMQ worker process) so that all of them compute exactly the same thing.
import type { Features } from '../ml/estimator.js';
import { applyScaler, fitScaler } from '../ml/preprocess.js';
import { createRegistry, type Registry } from '../models/registry.js';
import { failure, type SharedDataRef, type Task, type TaskResult, type TrainTask } from './protocol.js';

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

/** Copies the given rows out of the shared matrix: the estimator contract takes plain arrays. */
export function gatherRows(data: SharedDataRef, indices: readonly number[]): Features {
  const features = new Float64Array(data.features);
  const cols = data.cols;
  // Element by element: a subarray view per row would be garbage for every row of a large set.
  return indices.map((row) => {
    const values = new Array<number>(cols);
    for (let j = 0, at = row * cols; j < cols; j++, at++) values[j] = features[at]!;
    return values;
  });
}

export function gatherLabels(data: SharedDataRef, indices: readonly number[]): number[] {
  const labels = new Int32Array(data.labels);
  return indices.map((row) => labels[row] as number);
}

async function train(task: TrainTask): Promise<TaskResult> {
  const definition = (await registryFor(task.modules)).get(task.modelId);
  if (!definition) throw new Error(`model "${task.modelId}" is not registered in this worker`);
  const data = task.data;
  // A distributed worker resolves a hash reference to shared memory before calling runTask.
  if (data.kind !== 'shared') throw new Error(`data set ${data.sha256} was not resolved to memory before the task ran`);
  const trainX = gatherRows(data, task.train);
  const trainY = gatherLabels(data, task.train);
  const scaler = fitScaler(task.preprocess, trainX);
  const estimator = definition.create(task.params, { seed: task.seed, classes: task.data.classes });

  const fitStart = performance.now();
  await estimator.fit(applyScaler(scaler, trainX), trainY);
  const fitMs = performance.now() - fitStart;

  const testX = applyScaler(scaler, gatherRows(data, task.test));
  const predictStart = performance.now();
  // Libraries differ on empty input (some throw): with --test-size 0 there is nothing to predict.
  const predictions = testX.length === 0 ? [] : estimator.predict(testX);
  const predictMs = performance.now() - predictStart;

  if (!Array.isArray(predictions) || predictions.length !== task.test.length) {
    throw new Error(
      `predict() returned ${Array.isArray(predictions) ? predictions.length : typeof predictions} values for ${task.test.length} rows`,
    );
  }
  const bad = predictions.findIndex((p) => !Number.isInteger(p) || p < 0 || p >= task.data.classes);
  if (bad !== -1) {
    throw new Error(
      `predict() returned ${JSON.stringify(predictions[bad])} for row ${bad}; labels must be class indices 0..${task.data.classes - 1}`,
    );
  }
  const result: TaskResult = { status: 'ok', predictions: [...predictions], fitMs, predictMs };
  if (task.keepModel) {
    result.model = JSON.stringify({
      modelId: task.modelId,
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
    return await train(task);
  } catch (error) {
    return failure('threw', error);
  }
}

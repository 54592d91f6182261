// A model a run saved (`models/<id>.json`: the final fit's estimator and fitted scaler), found
// through its run's report and loaded back by the definition that can read it. Shared by
// `trainpool predict` and the API's loadModel.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { Estimator, Library, ModelDefinition } from '../ml/estimator.js';
import type { Scaler } from '../ml/preprocess.js';
import type { Registry } from '../models/registry.js';
import type { Run } from './read.js';
import type { OkModelReport } from './report.js';

/** What `models/<id>.json` holds (written by src/execution/run-task.ts). */
export interface SavedModel {
  modelId: string;
  /** Absent in files of trainpool 0.1.0. */
  library?: Library;
  scaler: Scaler;
  estimator: unknown;
}

/**
 * The definition that can load a saved model: the one of its id, trained by the library the file
 * names. A file that names none comes from trainpool 0.1.0, whose built-in models were the ml.js
 * adapters now registered as `<id>-mljs`.
 */
export function loaderOf(registry: Registry, saved: SavedModel): ModelDefinition {
  const legacy = saved.library === undefined ? registry.get(`${saved.modelId}-mljs`) : undefined;
  const definition = legacy ?? registry.get(saved.modelId);
  if (!definition)
    throw new UsageError(
      `model "${saved.modelId}" is not registered; if it came from a --model-module, pass the same module to predict`,
    );
  if (saved.library && saved.library.name !== definition.library.name)
    throw new UsageError(
      `model "${saved.modelId}" was trained by ${saved.library.name} ${saved.library.version}, but this trainpool's "${saved.modelId}" is ${definition.library.name}; use the trainpool (or --model-module) it was trained with`,
    );
  return definition;
}

/** The report row of a saved model, or a UsageError naming what the run saved instead. */
export function savedEntry(run: Run, modelId: string, what: string): OkModelReport & { modelFile: string } {
  const { report } = run;
  const entry = report.models.find((m) => m.id === modelId);
  const savedIds = report.models.filter((m) => m.status === 'ok' && m.modelFile).map((m) => m.id);
  if (!entry || entry.status !== 'ok' || !entry.modelFile) {
    throw new UsageError(
      `${what}: ${!entry ? 'not in' : entry.status !== 'ok' ? 'failed in' : 'not saved by'} run ${report.runId}; saved models: ${savedIds.join(', ') || 'none'}`,
    );
  }
  return entry as OkModelReport & { modelFile: string };
}

export async function readSavedModel(run: Run, file: string, what: string): Promise<SavedModel> {
  try {
    return JSON.parse(await readFile(join(run.dir, file), 'utf8')) as SavedModel;
  } catch (error) {
    throw new UsageError(`${what}: ${file}: unreadable (${(error as Error).message})`);
  }
}

/** The saved estimator, rebuilt. */
export function loadEstimator(registry: Registry, saved: SavedModel): { definition: ModelDefinition; estimator: Estimator } {
  const definition = loaderOf(registry, saved);
  return { definition, estimator: definition.load(saved.estimator) };
}

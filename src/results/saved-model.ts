// A model a run saved (`models/<id>.json`: the final fit's estimator and fitted scaler), found
// through its run's report and loaded back by the definition that can read it. Shared by
// `trainpool predict` and the API's loadModel. report.json and the model file are data: a path
// in one is followed only inside the run's folder, and the file is checked before it is used.
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { Estimator, ModelDefinition } from '../ml/estimator.js';
import type { Registry } from '../models/registry.js';
import type { Run } from './read.js';
import type { OkModelReport } from './report.js';

/**
 * What `models/<id>.json` holds (written by execution/run-task.ts). The estimator's own JSON is
 * its definition's to check, in `load`.
 */
const savedModelSchema = z.object({
  modelId: z.string(),
  /** Absent in files of trainpool 0.1.0. */
  library: z.object({ name: z.string(), version: z.string() }).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  scaler: z.object({
    kind: z.enum(['standardize', 'minmax', 'none']),
    offset: z.array(z.number()),
    scale: z.array(z.number().refine((v) => v !== 0, 'a scale of 0 divides by zero')),
  }),
  estimator: z.unknown().refine((v) => v !== undefined && v !== null, 'missing'),
});
export type SavedModel = z.infer<typeof savedModelSchema>;

/** Whether `path` lies inside `folder` (or is it). */
const inside = (folder: string, path: string) => {
  const rel = relative(folder, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);

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

/**
 * The model file a run's report names, read only from inside the run's folder, then checked: it
 * must be a saved model, of the model asked for, with a scaler for the run's features.
 */
export async function readSavedModel(run: Run, modelFile: string, modelId: string, where: string): Promise<SavedModel> {
  const folder = run.dir;
  const path = resolve(folder, modelFile);
  if (!inside(folder, path))
    throw new UsageError(
      `${where}: report.json's modelFile ${JSON.stringify(modelFile)} lies outside the run folder; models are read only from inside it`,
    );
  const at = `${where}: ${modelFile}`;
  let text: string;
  try {
    if (!inside(await realpath(folder), await realpath(path)))
      throw new UsageError(`${at} is a link to a file outside the run folder; models are read only from inside it`);
    if (!(await stat(path)).isFile()) throw new UsageError(`${at} is not a file`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${at}: unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the file.
    throw new UsageError(`${at}: not valid JSON (damaged or truncated); train the run again`);
  }
  const parsed = savedModelSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `${at}: not a saved trainpool model: ${issue.path.join('.') || '(the whole file)'}: ${issue.message}`,
    );
  }
  const saved = parsed.data;
  if (saved.modelId !== modelId)
    throw new UsageError(`${at} holds model ${JSON.stringify(saved.modelId)}, not "${modelId}": it was replaced`);
  const { offset, scale } = saved.scaler;
  const features = run.report.dataset.features;
  if (offset.length !== features || scale.length !== features)
    throw new UsageError(
      `${at}: its scaler has ${offset.length} offsets and ${scale.length} scales, but the run has ${features} features: the file is damaged`,
    );
  return saved;
}

/** The saved estimator, rebuilt by its definition; `at` names the file in messages. */
export function loadEstimator(
  registry: Registry,
  saved: SavedModel,
  at: string,
): { definition: ModelDefinition; estimator: Estimator } {
  const definition = loaderOf(registry, saved);
  try {
    return { definition, estimator: definition.load(saved.estimator) };
  } catch (error) {
    throw new UsageError(`${at}: the saved estimator does not load (${firstLine(error)}): the file is damaged`);
  }
}

/**
 * Predicts a batch with a saved estimator and checks what comes back: one class index per row.
 * A model file is data, and what its estimator answers is checked as data.
 */
export function predictChecked(estimator: Estimator, X: Parameters<Estimator['predict']>[0], classes: number, at: string, firstRow = 0): ArrayLike<number> {
  let batch: ArrayLike<number>;
  try {
    batch = estimator.predict(X);
  } catch (error) {
    throw new UsageError(`${at}: the model failed to predict (${firstLine(error)}): the file is damaged`);
  }
  if (batch?.length !== X.rows)
    throw new UsageError(`${at}: the model predicted ${batch?.length ?? 'nothing'} values for ${X.rows} rows: the file is damaged`);
  for (let i = 0; i < X.rows; i++) {
    const p = batch[i]!;
    if (!Number.isInteger(p) || p < 0 || p >= classes)
      throw new UsageError(
        `${at}: the model predicted ${JSON.stringify(p)} for row ${firstRow + i + 1}; the run has ${classes} classes: the file is damaged`,
      );
  }
  return batch;
}

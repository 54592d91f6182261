// `npm run predict`: a run's saved model applied to new rows, read exactly as the run read its
// training data (same CSV rules, same column order and one-hot categories, same scaler).
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { type CsvOptions, readCsv } from '../data/csv.js';
import type { FetchEvent } from '../data/fetch.js';
import { type DatasetSpec, loadDataset, resolveDatasetSpec } from '../data/load.js';
import { remoteOptions, type SourceFlags } from '../data/sources.js';
import type { Table } from '../data/table.js';
import { UsageError } from '../errors.js';
import type { Estimator, ModelDefinition } from '../ml/estimator.js';
import { gatherRows } from '../ml/matrix.js';
import { applyScaler } from '../ml/preprocess.js';
import { loadRegistry, type Registry } from '../models/registry.js';
import { resolveRun } from './read.js';

export interface PredictOptions extends Record<string, unknown>, SourceFlags {
  run: string;
  model: string;
  input: string;
  delimiter?: string;
  maxCategories?: number;
  modelModule?: string[];
  resultsDir: string;
  quiet?: boolean;
  onFetchEvent?: (event: FetchEvent) => void;
}

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
type SavedModel = z.infer<typeof savedModelSchema>;

/** Whether `path` lies inside `folder` (or is it). */
const inside = (folder: string, path: string) => {
  const rel = relative(folder, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * The model file a run's report names, read only from inside the run's folder (report.json is
 * data, and a path in it could name any file), then checked: it must be a saved model, of the
 * model asked for, with a scaler for the run's features.
 */
async function readSavedModel(
  folder: string,
  modelFile: string,
  modelId: string,
  features: number,
  where: string,
): Promise<SavedModel> {
  const path = resolve(folder, modelFile);
  if (!inside(folder, path))
    throw new UsageError(
      `${where}: report.json's modelFile ${JSON.stringify(modelFile)} lies outside the run folder; predict reads models only from inside it`,
    );
  const at = `${where}: ${modelFile}`;
  let text: string;
  try {
    if (!inside(await realpath(folder), await realpath(path)))
      throw new UsageError(`${at} is a link to a file outside the run folder; predict reads models only from inside it`);
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
  if (offset.length !== features || scale.length !== features)
    throw new UsageError(
      `${at}: its scaler has ${offset.length} offsets and ${scale.length} scales, but the run has ${features} features: the file is damaged`,
    );
  return saved;
}

/**
 * The definition that can load a saved model: the one of its id, trained by the library the file
 * names. A file that names none comes from trainpool 0.1.0, whose built-in models were the ml.js
 * adapters now registered as `<id>-mljs`.
 */
function loaderOf(registry: Registry, saved: SavedModel): ModelDefinition {
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

const BATCH_ROWS = 8192;

/** A CSV field, quoted when it must be (RFC 4180). */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function write(line: string): Promise<void> {
  return new Promise((done) => {
    if (process.stdout.write(line)) done();
    else process.stdout.once('drain', done);
  });
}

/** The rows to predict: a CSV file as before, or any source `--dataset` takes but a name. */
async function readInput(options: PredictOptions, csv: CsvOptions): Promise<Table> {
  const input = options.input;
  const remote = /^(openml:|[a-z][a-z0-9+.-]+:\/\/)/i.test(input);
  if (!remote && !/\.(arff|json)$/i.test(input)) return readCsv(resolve(input), input, 'input', csv);
  const spec: DatasetSpec = remote
    ? { ...resolveDatasetSpec(input), name: 'input' }
    : { arg: input, path: resolve(input), file: input, name: 'input' };
  const sources = remoteOptions(options, [spec], options.onFetchEvent);
  const loaded = await loadDataset(spec, csv, 'never', undefined, sources);
  return loaded.table!;
}

export async function predict(options: PredictOptions): Promise<number> {
  const { dir: folder, report } = await resolveRun(options.run, resolve(options.resultsDir));
  const entry = report.models.find((m) => m.id === options.model);
  const savedIds = report.models.filter((m) => m.status === 'ok' && m.modelFile).map((m) => m.id);
  if (!entry || entry.status !== 'ok' || !entry.modelFile) {
    throw new UsageError(
      `--model ${options.model}: ${!entry ? 'not in' : entry.status !== 'ok' ? 'failed in' : 'not saved by'} run ${report.runId}; saved models: ${savedIds.join(', ') || 'none'}`,
    );
  }
  const encoding = report.dataset.encoding;
  if (!encoding) {
    throw new UsageError(
      `--run ${options.run}: the report does not record how its columns were read (a run from before CSV support); train again`,
    );
  }
  const where = `--run ${options.run}`;
  const savedModel = await readSavedModel(folder, entry.modelFile, options.model, report.dataset.features, where);
  const modules = (options.modelModule ?? []).map((p) => resolve(p));
  const [registry, table] = await Promise.all([
    loadRegistry(modules),
    readInput(options, {
      missing: 'error',
      schema: encoding,
      ...(options.maxCategories !== undefined ? { maxCategories: options.maxCategories } : {}),
      ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
    }),
  ]);
  const definition = loaderOf(registry, savedModel);
  const { dataset } = table;
  if (dataset.cols !== report.dataset.features) {
    throw new UsageError(
      `--input ${options.input}: read ${dataset.cols} features where the run trained on ${report.dataset.features}`,
    );
  }
  const at = `${where}: ${entry.modelFile}`;
  let estimator: Estimator;
  try {
    estimator = definition.load(savedModel.estimator);
  } catch (error) {
    throw new UsageError(`${at}: the saved estimator does not load (${firstLine(error)}): the file is damaged`);
  }
  // Every row is predicted before anything is written: a model that fails half-way leaves stdout
  // empty rather than holding half an answer.
  const classes = report.dataset.classes;
  const predicted = new Int32Array(dataset.rows);
  for (let from = 0; from < dataset.rows; from += BATCH_ROWS) {
    const rows = Array.from({ length: Math.min(dataset.rows, from + BATCH_ROWS) - from }, (_, i) => from + i);
    const X = applyScaler(savedModel.scaler, gatherRows(dataset.features, dataset.cols, rows));
    let batch: ArrayLike<number>;
    try {
      batch = estimator.predict(X);
    } catch (error) {
      throw new UsageError(`${at}: the model failed to predict (${firstLine(error)}): the file is damaged`);
    }
    if (batch?.length !== rows.length)
      throw new UsageError(
        `${at}: the model predicted ${batch?.length ?? 'nothing'} values for ${rows.length} rows: the file is damaged`,
      );
    for (let i = 0; i < rows.length; i++) {
      const p = batch[i]!;
      if (!Number.isInteger(p) || p < 0 || p >= classes.length)
        throw new UsageError(
          `${at}: the model predicted ${JSON.stringify(p)} for row ${from + i + 1}; the run has ${classes.length} classes: the file is damaged`,
        );
      predicted[from + i] = p;
    }
  }
  await write(`${csvField(encoding.label)}\n`);
  for (let from = 0; from < predicted.length; from += BATCH_ROWS) {
    let out = '';
    for (let i = from; i < Math.min(predicted.length, from + BATCH_ROWS); i++) out += `${csvField(classes[predicted[i]!]!)}\n`;
    await write(out);
  }
  return 0;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);

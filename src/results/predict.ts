// `npm run predict`: a run's saved model applied to new rows, read exactly as the run read its
// training data (same CSV rules, same column order and one-hot categories, same scaler).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CsvOptions, readCsv } from '../data/csv.js';
import type { FetchEvent } from '../data/fetch.js';
import { type DatasetSpec, loadDataset, resolveDatasetSpec } from '../data/load.js';
import { remoteOptions, type SourceFlags } from '../data/sources.js';
import type { Table } from '../data/table.js';
import { UsageError } from '../errors.js';
import { gatherRows } from '../ml/matrix.js';
import { applyScaler, type Scaler } from '../ml/preprocess.js';
import type { Library, ModelDefinition } from '../ml/estimator.js';
import { createRegistry, type Registry } from '../models/registry.js';
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

/** What `models/<id>.json` holds (written by src/task.ts). */
interface SavedModel {
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
  let savedModel: SavedModel;
  try {
    savedModel = JSON.parse(await readFile(join(folder, entry.modelFile), 'utf8')) as SavedModel;
  } catch (error) {
    throw new UsageError(`--run ${options.run}: ${entry.modelFile}: unreadable (${(error as Error).message})`);
  }
  const modules = (options.modelModule ?? []).map((p) => resolve(p));
  const [registry, table] = await Promise.all([
    createRegistry(modules),
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
    throw new Error(`predict: read ${dataset.cols} features where the run trained on ${report.dataset.features}`);
  }
  const estimator = definition.load(savedModel.estimator);
  const classes = report.dataset.classes;
  await write(`${csvField(encoding.label)}\n`);
  for (let from = 0; from < dataset.rows; from += BATCH_ROWS) {
    const rows = Array.from({ length: Math.min(dataset.rows, from + BATCH_ROWS) - from }, (_, i) => from + i);
    const X = applyScaler(savedModel.scaler, gatherRows(dataset.features, dataset.cols, rows));
    const predicted = estimator.predict(X);
    let out = '';
    for (let i = 0; i < predicted.length; i++) {
      const p = predicted[i]!;
      const name = classes[p];
      if (name === undefined)
        throw new Error(`model "${savedModel.modelId}" predicted ${JSON.stringify(p)}, not a class index`);
      out += `${csvField(name)}\n`;
    }
    await write(out);
  }
  return 0;
}

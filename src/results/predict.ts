// `npm run predict`: a run's saved model applied to new rows, read exactly as the run read its
// training data (same CSV rules, same column order and one-hot categories, same scaler).
import { resolve } from 'node:path';
import { type CsvOptions, readCsv } from '../data/csv.js';
import type { FetchEvent } from '../data/fetch.js';
import { type DatasetSpec, loadDataset, resolveDatasetSpec } from '../data/load.js';
import { remoteOptions, type SourceFlags } from '../data/sources.js';
import type { Table } from '../data/table.js';
import { UsageError } from '../errors.js';
import { gatherRows } from '../ml/matrix.js';
import { applyScaler } from '../ml/preprocess.js';
import { loadRegistry } from '../models/registry.js';
import { resolveRun } from './read.js';
import { loadEstimator, predictChecked, readSavedModel, savedEntry } from './saved-model.js';

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
  const run = await resolveRun(options.run, resolve(options.resultsDir));
  const { report } = run;
  const entry = savedEntry(run, options.model, `--model ${options.model}`);
  const encoding = report.dataset.encoding;
  if (!encoding) {
    throw new UsageError(
      `--run ${options.run}: the report does not record how its columns were read (a run from before CSV support); train again`,
    );
  }
  const where = `--run ${options.run}`;
  const savedModel = await readSavedModel(run, entry.modelFile, options.model, where);
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
  const { dataset } = table;
  if (dataset.cols !== report.dataset.features) {
    throw new UsageError(
      `--input ${options.input}: read ${dataset.cols} features where the run trained on ${report.dataset.features}`,
    );
  }
  const at = `${where}: ${entry.modelFile}`;
  const { estimator } = loadEstimator(registry, savedModel, at);
  // Every row is predicted before anything is written: a model that fails half-way leaves stdout
  // empty rather than holding half an answer.
  const classes = report.dataset.classes;
  const predicted = new Int32Array(dataset.rows);
  for (let from = 0; from < dataset.rows; from += BATCH_ROWS) {
    const rows = Array.from({ length: Math.min(dataset.rows, from + BATCH_ROWS) - from }, (_, i) => from + i);
    const X = applyScaler(savedModel.scaler, gatherRows(dataset.features, dataset.cols, rows));
    const batch = predictChecked(estimator, X, classes.length, at, from);
    for (let i = 0; i < rows.length; i++) predicted[from + i] = batch[i]!;
  }
  await write(`${csvField(encoding.label)}\n`);
  for (let from = 0; from < predicted.length; from += BATCH_ROWS) {
    let out = '';
    for (let i = from; i < Math.min(predicted.length, from + BATCH_ROWS); i++) out += `${csvField(classes[predicted[i]!]!)}\n`;
    await write(out);
  }
  return 0;
}

// `npm run predict`: a run's saved model applied to new rows, read exactly as the run read its
// training data (same CSV rules, same column order and one-hot categories, same scaler).
import { resolve } from 'node:path';
import { readCsv } from '../data/csv.js';
import { UsageError } from '../errors.js';
import { gatherRows } from '../ml/matrix.js';
import { applyScaler } from '../ml/preprocess.js';
import { createRegistry } from '../models/registry.js';
import { resolveRun } from './read.js';
import { loadEstimator, readSavedModel, savedEntry } from './saved-model.js';

export interface PredictOptions extends Record<string, unknown> {
  run: string;
  model: string;
  input: string;
  delimiter?: string;
  modelModule?: string[];
  resultsDir: string;
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
  const savedModel = await readSavedModel(run, entry.modelFile, `--run ${options.run}`);
  const modules = (options.modelModule ?? []).map((p) => resolve(p));
  const [registry, table] = await Promise.all([
    createRegistry(modules),
    readCsv(resolve(options.input), options.input, 'input', {
      missing: 'error',
      schema: encoding,
      ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
    }),
  ]);
  const { dataset } = table;
  if (dataset.cols !== report.dataset.features) {
    throw new Error(`predict: read ${dataset.cols} features where the run trained on ${report.dataset.features}`);
  }
  const { estimator } = loadEstimator(registry, savedModel);
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

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Dataset } from './data/dataset.js';
import { classCounts } from './data/dataset.js';
import { loadIris } from './data/iris.js';
import type { Preprocessing } from './estimator.js';
import { UsageError } from './errors.js';
import { colors, formatSummary } from './format/console.js';
import { formatMarkdown } from './format/markdown.js';
import { newRunId, writeRunFolder } from './output.js';
import { packageVersion } from './paths.js';
import type { Executor } from './executor.js';
import { createRegistry, selectModels } from './registry.js';
import { SCHEMA_VERSION, type ModelReport, type Report } from './report.js';
import { progressMode, RunTracker, startProgress } from './progress.js';
import { ReportHtml } from './report-html.js';
import { evaluateModel, plannedTasks, type RunPlan } from './run.js';
import { Scheduler } from './scheduler.js';
import { stratifiedKFold, stratifiedSplit, validateFolds, validateSplit, type Split } from './split.js';
import { useColor } from './cli/common.js';

const REPORTED_PACKAGES = ['piscina', 'ml-logistic-regression', 'ml-random-forest', 'ml-svm'];

export interface TrainOptions extends Record<string, unknown> {
  models?: string[];
  modelModule?: string[];
  seed: number;
  testSize: number;
  splitFile?: string;
  cv?: number | true;
  foldsFile?: string;
  tune: boolean;
  preprocess?: Preprocessing;
  threads: number;
  resultsDir: string;
  json: boolean;
  quiet: boolean;
  color: boolean;
}

async function readJsonFile(flag: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${flag} ${path}: not valid JSON: ${(error as Error).message}`);
  }
}

async function planSplit(options: TrainOptions, dataset: Dataset): Promise<Split> {
  if (options.splitFile) {
    return validateSplit(
      await readJsonFile('--split-file', options.splitFile),
      dataset.rows,
      `--split-file ${options.splitFile}`,
    );
  }
  return stratifiedSplit(dataset.labels, dataset.classNames, options.testSize, options.seed);
}

async function planFolds(options: TrainOptions, dataset: Dataset, split: Split): Promise<number[][] | null> {
  if (options.foldsFile) {
    const folds = validateFolds(
      await readJsonFile('--folds-file', options.foldsFile),
      split.train,
      `--folds-file ${options.foldsFile}`,
    );
    if (typeof options.cv === 'number' && options.cv !== folds.length) {
      throw new UsageError(
        `--cv ${options.cv} disagrees with --folds-file ${options.foldsFile}, which holds ${folds.length} folds; drop --cv`,
      );
    }
    return folds;
  }
  const k = options.cv === true ? 5 : (options.cv ?? (options.tune ? 5 : 0));
  return k === 0 ? null : stratifiedKFold(dataset.labels, split.train, dataset.classNames, k, options.seed);
}

/** Runs the training the options ask for on the given executor and writes its report. */
export async function train(options: TrainOptions, executor: Executor): Promise<number> {
  const started = performance.now();
  const createdAt = new Date();
  const modules = (options.modelModule ?? []).map((p) => resolve(p));
  const registry = await createRegistry(modules);
  const models = selectModels(registry, options.models);
  const dataset = loadIris();
  const split = await planSplit(options, dataset);
  const folds = await planFolds(options, dataset, split);
  const plan: RunPlan = {
    dataset,
    split,
    folds,
    models,
    seed: options.seed,
    tune: options.tune,
    modules,
    ...(options.preprocess ? { preprocess: options.preprocess } : {}),
  };

  const c = colors(useColor(process.stdout, options.color));
  const stream = options.json ? process.stderr : process.stdout;
  const tracker = new RunTracker(
    models.reduce((n, def) => n + plannedTasks(plan, def), 0),
    models.length,
  );
  const progress = await startProgress(tracker, progressMode(stream, options.quiet), stream, c);
  const html = new ReportHtml(tracker);
  const scheduler = new Scheduler(tracker.observe(executor));
  let done: Awaited<ReturnType<typeof evaluateModel>>[];
  try {
    done = await Promise.all(
      models.map(async (def) => {
        const result = await evaluateModel(plan, def, scheduler);
        tracker.modelDone(result.report);
        return result;
      }),
    );
  } finally {
    progress.stop();
  }

  const runId = newRunId(dataset.name, createdAt);
  const files: Record<string, string> = {};
  const reports: ModelReport[] = done.map(({ report, model }) => {
    if (model === undefined || report.status !== 'ok') return report;
    const modelFile = `models/${report.id}.json`;
    files[modelFile] = model;
    return { ...report, modelFile };
  });
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    runId,
    createdAt: createdAt.toISOString(),
    status: 'complete',
    dataset: {
      name: dataset.name,
      source: dataset.source,
      rows: dataset.rows,
      features: dataset.cols,
      featureNames: dataset.featureNames,
      classes: dataset.classNames,
      classCounts: classCounts(dataset),
      sha256: dataset.sha256,
    },
    split: {
      seed: options.seed,
      testSize: options.splitFile ? split.test.length / dataset.rows : options.testSize,
      stratified: !options.splitFile,
      ...(options.splitFile ? { file: options.splitFile } : {}),
      train: split.train,
      test: split.test,
    },
    cv: folds ? { k: folds.length, ...(options.foldsFile ? { file: options.foldsFile } : {}), testFolds: folds } : null,
    tune: options.tune,
    threads: executor.concurrency,
    nodeVersion: process.version,
    versions: {
      trainpool: packageVersion(),
      ...Object.fromEntries(REPORTED_PACKAGES.map((name) => [name, packageVersion(name)])),
    },
    durationMs: performance.now() - started,
    models: reports,
  };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  files['report.json'] = json;
  files['report.md'] = formatMarkdown(report);
  files['report.html'] = await html.html(report, (message) => process.stderr.write(`train: warning: ${message}\n`));
  const folder = await writeRunFolder(options.resultsDir, runId, files);
  if (options.json) process.stdout.write(json);
  else if (!options.quiet) process.stdout.write(`\n${formatSummary(report, folder, c)}\n`);
  return reports.some((m) => m.status === 'failed') ? 1 : 0;
}

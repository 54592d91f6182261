import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { csvOptions, type DataOptions } from '../cli/data-options.js';
import type { Dataset } from '../data/dataset.js';
import { classCounts } from '../data/dataset.js';
import { type LoadedDataset, loadDatasets, resolveDatasetSpec } from '../data/load.js';
import type { ModelDefinition, Preprocessing } from '../ml/estimator.js';
import { UsageError } from '../errors.js';
import { type Colors, colors, formatSummary } from '../format/console.js';
import { formatMarkdown } from '../format/markdown.js';
import { interruptExitStatus, wasCutShort } from './interrupt.js';
import { claimRunId, writeRunFolder } from '../results/write.js';
import { packageVersion } from '../paths.js';
import type { Executor } from '../execution/executor.js';
import { createRegistry, selectModels } from '../models/registry.js';
import { SCHEMA_VERSION, type ModelReport, type Report } from '../results/report.js';
import { progressMode, RunTracker, startProgress } from './progress.js';
import { ReportHtml } from './draw-charts.js';
import { evaluateModel, plannedTasks, type RunPlan } from './evaluate-model.js';
import { Scheduler } from '../execution/scheduler.js';
import { stratifiedKFold, stratifiedSplit, validateFolds, validateSplit, type Split } from '../ml/split.js';
import { useColor } from '../cli/common.js';

const REPORTED_PACKAGES = ['piscina', 'ml-logistic-regression', 'ml-random-forest', 'ml-svm'];

export interface TrainOptions extends Record<string, unknown>, DataOptions {
  models?: string[];
  modelModule?: string[];
  seed: number;
  testSize: number;
  splitFile?: string;
  cv?: number | true;
  foldsFile?: string;
  tune?: boolean;
  preprocess?: Preprocessing;
  threads: number;
  resultsDir: string;
  json?: boolean;
  quiet?: boolean;
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

/** A path as the user would type it: relative to where they are, when it is below there. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** A data set ready to train on: loaded, validated, split. */
interface DatasetPlan {
  loaded: LoadedDataset;
  split: Split;
  folds: number[][] | null;
}

async function planDataset(options: TrainOptions, loaded: LoadedDataset): Promise<DatasetPlan> {
  try {
    const split = await planSplit(options, loaded.dataset);
    const folds = await planFolds(options, loaded.dataset, split);
    return { loaded, split, folds };
  } catch (error) {
    // With several data sets, say which one has too few rows of a class.
    if (error instanceof UsageError && loaded.spec.file) throw new UsageError(`${loaded.spec.file}: ${error.message}`);
    throw error;
  }
}

interface RunContext {
  options: TrainOptions;
  models: ModelDefinition[];
  modules: string[];
  scheduler: Scheduler;
  threads: number;
  createdAt: Date;
  started: number;
  tracker: RunTracker;
  c: Colors;
  /** Whether several data sets share the run (lines then say which one they are about). */
  several: boolean;
  /** Aborted by Ctrl-C or SIGTERM. */
  signal: AbortSignal | undefined;
}

/** Trains every model on one data set and writes its run folder. */
async function trainDataset(
  { loaded, split, folds }: DatasetPlan,
  ctx: RunContext,
): Promise<{ report: Report; folder: string; json: string; interrupted: boolean }> {
  const { options, models, dataset } = { ...ctx, dataset: loaded.dataset };
  const plan: RunPlan = {
    dataset,
    split,
    folds,
    models,
    seed: options.seed,
    tune: options.tune === true,
    modules: ctx.modules,
    ...(options.preprocess ? { preprocess: options.preprocess } : {}),
  };
  // Charts are drawn in idle CPU while the models train; with several data sets, each page is
  // drawn once its own models are done.
  const html = new ReportHtml(ctx.several ? undefined : ctx.tracker);
  const done = await Promise.all(
    models.map(async (def) => {
      const result = await evaluateModel(plan, def, ctx.scheduler);
      ctx.tracker.modelDone(result.report, ctx.several ? dataset.name : undefined);
      return result;
    }),
  );

  // A signal that came after the last task finished cut nothing short: the report is complete.
  const interrupted = ctx.signal?.aborted === true && done.some(({ report }) => wasCutShort(report));
  const runId = await claimRunId(options.resultsDir, dataset.name, ctx.createdAt);
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
    createdAt: ctx.createdAt.toISOString(),
    status: interrupted ? 'interrupted' : 'complete',
    dataset: {
      name: dataset.name,
      source: dataset.source,
      rows: dataset.rows,
      features: dataset.cols,
      featureNames: dataset.featureNames,
      classes: dataset.classNames,
      classCounts: classCounts(dataset),
      sha256: dataset.sha256,
      ...(loaded.spec.file ? { file: loaded.spec.file } : {}),
      encoding: loaded.encoding,
      ...(options.missing === 'drop' ? { droppedRows: loaded.droppedRows } : {}),
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
    tune: options.tune === true,
    threads: ctx.threads,
    nodeVersion: process.version,
    versions: {
      trainpool: packageVersion(),
      ...Object.fromEntries(REPORTED_PACKAGES.map((name) => [name, packageVersion(name)])),
    },
    durationMs: performance.now() - ctx.started,
    models: reports,
  };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  files['report.json'] = json;
  files['report.md'] = formatMarkdown(report);
  files['report.html'] = await html.html(report, (message) => process.stderr.write(`train: warning: ${message}\n`));
  const folder = await writeRunFolder(options.resultsDir, runId, files);
  if (!options.json && !options.quiet) process.stdout.write(`\n${formatSummary(report, displayPath(folder), ctx.c)}\n`);
  return { report, folder, json, interrupted };
}

/**
 * Runs the training the options ask for on the given executor and writes a report per data set.
 * Every data set is loaded and checked before any training starts, so bad input writes nothing.
 * When `signal` aborts, no new task starts, running ones are stopped, and each report, marked
 * interrupted, holds what finished.
 */
export async function train(options: TrainOptions, executor: Executor, signal?: AbortSignal): Promise<number> {
  const started = performance.now();
  const createdAt = new Date();
  const modules = (options.modelModule ?? []).map((p) => resolve(p));
  const registry = await createRegistry(modules);
  const models = selectModels(registry, options.models);
  const specs = (options.dataset ?? ['iris']).map(resolveDatasetSpec);
  const loaded = await loadDatasets(specs, csvOptions(options));
  const plans = await Promise.all(loaded.map((l) => planDataset(options, l)));

  const c = colors(useColor(process.stdout, options.color));
  const stream = options.json ? process.stderr : process.stdout;
  const tracker = new RunTracker(
    plans.reduce(
      (n, p) =>
        n + models.reduce((m, def) => m + plannedTasks({ tune: options.tune === true, folds: p.folds }, def), 0),
      0,
    ),
    models.length * plans.length,
  );
  const progress = await startProgress(tracker, progressMode(stream, options.quiet === true), stream, c);
  const ctx: RunContext = {
    options,
    models,
    modules,
    // One scheduler in front of the one pool: every data set's tasks share the threads.
    scheduler: new Scheduler(tracker.observe(executor), signal),
    threads: executor.concurrency,
    createdAt,
    started,
    tracker,
    c,
    several: plans.length > 1,
    signal,
  };
  let runs: Awaited<ReturnType<typeof trainDataset>>[];
  try {
    runs = await Promise.all(plans.map((plan) => trainDataset(plan, ctx)));
  } finally {
    progress.stop();
  }
  if (options.json) {
    process.stdout.write(
      runs.length === 1
        ? runs[0]!.json
        : `${JSON.stringify(
            runs.map((r) => r.report),
            null,
            2,
          )}\n`,
    );
  }
  if (runs.some((r) => r.interrupted)) return interruptExitStatus(signal!.reason);
  return runs.some((r) => r.report.models.some((m) => m.status === 'failed')) ? 1 : 0;
}

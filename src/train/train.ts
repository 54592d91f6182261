// train/: one training run, from loaded data to written run folders. train.ts orchestrates; plan.ts
// decides splits and folds; evaluate-model.ts turns one model into tasks and its results into a
// report row; build-report.ts assembles a report; progress.ts shows the run as it goes;
// draw-charts.ts draws report.html's charts in idle time; interrupt.ts handles Ctrl-C. May import
// every folder but commands/ and cli/.
import { resolve } from 'node:path';
import type { CsvOptions } from '../data/csv.js';
import { type DatasetSpec, type LoadedDataset, loadDatasets, resolveDatasetSpec } from '../data/load.js';
import { DEFAULT_SOURCES, remoteOptions, type SourceFlags } from '../data/sources.js';
import { UsageError } from '../errors.js';
import type { Executor } from '../execution/executor.js';
import { Scheduler } from '../execution/scheduler.js';
import { type Colors, colors, formatSummary } from '../format/console.js';
import { terminalText } from '../format/escape.js';
import { formatMarkdown } from '../format/markdown.js';
import type { ModelDefinition, Preprocessing } from '../ml/estimator.js';
import { loadRegistry, selectModels, withParams, type ParamSetting } from '../models/registry.js';
import { packageVersion, shown } from '../paths.js';
import type { Measure, MeasureSpec, Report } from '../results/report.js';
import { RunFolder } from '../results/write.js';
import { buildReport } from './build-report.js';
import { ReportCharts } from './draw-charts.js';
import { startFetchDisplay } from './fetch-progress.js';
import { evaluateModel, plannedWork } from './evaluate-model.js';
import { Interrupted, interruptExitStatus, wasCutShort } from './interrupt.js';
import { planFolds, planMeasure, planSplit, type RunPlan, type SplitOptions } from './plan.js';
import { progressMode, RunTracker, startDisplay, type Display } from './progress.js';

export interface TrainOptions extends SplitOptions {
  dataset?: string[];
  csv: CsvOptions;
  /** How data sets given as URLs or openml:<id> are fetched (absent: the defaults). */
  sources?: SourceFlags;
  models?: string[];
  modelModule?: string[];
  preprocess?: Preprocessing;
  resultsDir: string;
  /** The backend's name, for the report's versions (its npm package). */
  backend: 'piscina' | 'bullmq';
  json?: boolean;
  /** Where the --json report goes (the caller may keep stdout for it alone: reserveStdout). */
  writeReport?: (text: string) => void;
  quiet?: boolean;
  /** Colour in what it prints (the caller decides: a terminal, no NO_COLOR, no --no-color). */
  color: boolean;
  /** `--param model.key=value` settings, in place of the definitions' defaults. */
  param?: ParamSetting[];
  /** What the leaderboard sorts by (default: CV accuracy with CV, else test accuracy). */
  sortBy?: MeasureSpec;
  /** The console leaderboard's columns. */
  columns?: MeasureSpec[];
}

/** A data set ready to train on: loaded, validated, split, with its run folder claimed. */
interface DatasetRun {
  loaded: LoadedDataset;
  plan: RunPlan;
  sortBy: Measure;
  folder?: RunFolder;
}

async function planDataset(
  options: TrainOptions,
  loaded: LoadedDataset,
  models: ModelDefinition[],
  modules: string[],
): Promise<DatasetRun> {
  try {
    const split = await planSplit(options, loaded.dataset);
    const folds = await planFolds(options, loaded.dataset, split);
    const plan: RunPlan = {
      dataset: loaded.dataset,
      split,
      folds,
      models,
      seed: options.seed,
      tune: options.tune === true,
      modules,
      ...(options.preprocess ? { preprocess: options.preprocess } : {}),
    };
    const sortBy = planMeasure('--sort-by', options.sortBy ?? { scope: 'board', id: 'accuracy' }, plan);
    for (const column of options.columns ?? []) planMeasure('--columns', column, plan);
    return { loaded, plan, sortBy };
  } catch (error) {
    // With several data sets, say which one has too few rows of a class.
    if (error instanceof UsageError && loaded.spec.file) throw new UsageError(`${loaded.spec.file}: ${error.message}`);
    throw error;
  }
}

interface RunContext {
  options: TrainOptions;
  scheduler: Scheduler;
  tracker: RunTracker;
  display: Display;
  threads: number;
  createdAt: Date;
  started: number;
  /** Whether several data sets share the run (lines then say which one they are about). */
  several: boolean;
  signal: AbortSignal | undefined;
}

/** A data set's finished run: its report and where its folder landed (none: nowhere would take it). */
interface Trained {
  report: Report;
  folder: string | undefined;
  /** Why the folder is not in the results folder, when it is not. */
  unsaved?: string;
}

/**
 * Exit status of a run whose folder could not be written to the results folder (it went to a
 * fallback folder, or nowhere), whatever else happened: scripts that look in the results folder
 * would not find it.
 */
export const EXIT_UNSAVED = 3;

/** Trains every model on one data set and lands its run folder. */
async function trainDataset(run: DatasetRun, ctx: RunContext): Promise<Trained> {
  const { loaded, plan } = run;
  // Charts are drawn in idle CPU while the models train; with several data sets, each page is
  // drawn once its own models are done.
  const charts = new ReportCharts(ctx.several ? undefined : ctx.tracker, {
    dataset: { classes: plan.dataset.classNames, labels: Array.from(plan.dataset.labels) },
    split: plan.split,
    cv: plan.folds ? { testFolds: plan.folds } : null,
  });
  const done = await Promise.all(
    plan.models.map(async (def) => {
      const result = await evaluateModel(plan, def, ctx.scheduler);
      ctx.tracker.modelDone(result.report, ctx.several ? loaded.dataset.name : undefined);
      return result;
    }),
  );
  // A signal that came after the last task finished cut nothing short: the report is complete.
  const interrupted = ctx.signal?.aborted === true && done.some(({ report }) => wasCutShort(report));
  const files: Record<string, string> = {};
  const rows = done.map(({ report, model }) => {
    if (model === undefined || report.status !== 'ok') return report;
    const modelFile = `models/${report.id}.json`;
    files[modelFile] = model;
    return { ...report, modelFile };
  });
  const report = buildReport({
    runId: run.folder!.runId,
    createdAt: ctx.createdAt,
    interrupted,
    loaded,
    split: plan.split,
    folds: plan.folds,
    options: { ...ctx.options, missing: ctx.options.csv.missing },
    models: plan.models,
    rows,
    sortBy: run.sortBy,
    threads: ctx.threads,
    versions: { trainpool: packageVersion(), [ctx.options.backend]: packageVersion(ctx.options.backend) },
    durationMs: performance.now() - ctx.started,
  });
  files['report.json'] = `${JSON.stringify(report, null, 2)}\n`;
  files['report.md'] = formatMarkdown(report);
  files['report.html'] = await charts.html(report, (message) => ctx.display.warn(`train: warning: ${message}`));
  const landed = await run.folder!.landOrFallBack(files);
  if (landed.problem !== undefined) {
    ctx.display.warn(
      `train: error: ${landed.problem}; ${landed.path ? `it is saved in ${shown(landed.path)} instead (move it into ${shown(ctx.options.resultsDir)} when that can take it)` : 'no fallback folder could be written either: report.json follows on stderr'}`,
    );
    // Nowhere to keep it but the terminal or the log: never lose a finished run.
    if (!landed.path && !ctx.options.json) process.stderr.write(files['report.json']);
  }
  return { report, folder: landed.path, ...(landed.problem !== undefined ? { unsaved: landed.problem } : {}) };
}

/** Loads every data set, downloads showing their progress while they run. */
async function loadAll(
  specs: DatasetSpec[],
  options: TrainOptions,
  stream: NodeJS.WriteStream,
  c: Colors,
  signal: AbortSignal | undefined,
): Promise<LoadedDataset[]> {
  const fetching = specs.some((s) => s.url || s.openml)
    ? startFetchDisplay(progressMode(stream, options.quiet === true), stream, c)
    : undefined;
  try {
    return await loadDatasets(
      specs,
      options.csv,
      'auto',
      remoteOptions(options.sources ?? DEFAULT_SOURCES, specs, fetching?.event, signal),
    );
  } finally {
    fetching?.stop();
  }
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
  const registry = await loadRegistry(modules);
  const models = withParams(registry, selectModels(registry, options.models), options.param ?? []);
  const specs = (options.dataset ?? ['iris']).map(resolveDatasetSpec);
  const c: Colors = colors(options.color);
  const stream = options.json ? process.stderr : process.stdout;
  let loaded: LoadedDataset[];
  try {
    loaded = await loadAll(specs, options, stream, c, signal);
  } catch (error) {
    if (!signal?.aborted) throw error;
    process.stderr.write('train: stopped while loading the data; nothing was written\n');
    return interruptExitStatus(signal.reason);
  }
  const runs = await Promise.all(loaded.map((l) => planDataset(options, l, models, modules)));

  const work = runs.flatMap((r) => models.map((def) => plannedWork(r.plan, def)));
  const tracker = new RunTracker(
    work.reduce((n, w) => n + w.tasks, 0),
    models.length * runs.length,
    work.reduce((n, w) => n + w.cost, 0),
  );
  // One scheduler in front of the one pool: every data set's tasks share the threads.
  const scheduler = new Scheduler(executor, signal);
  tracker.observe(scheduler);
  const display = startDisplay(tracker, progressMode(stream, options.quiet === true), stream, c);
  // What model code prints in the workers: shown above the status line, not with --quiet.
  executor.onOutput?.(options.quiet ? () => {} : (line) => display.warn(line));
  const notice = () => {
    const reason: unknown = signal?.reason;
    const name = reason instanceof Interrupted ? (reason.signal === 'SIGINT' ? 'Ctrl-C' : reason.signal) : 'stopped';
    if (!options.quiet)
      display.warn(
        `train: ${name}: stopping; writing the report of what finished (press Ctrl-C again to quit at once)`,
      );
  };
  signal?.addEventListener('abort', notice, { once: true });
  const ctx: RunContext = {
    options,
    scheduler,
    tracker,
    display,
    threads: executor.concurrency,
    createdAt,
    started,
    several: runs.length > 1,
    signal,
  };
  let results: Trained[];
  try {
    // Every run id is claimed, and shown, before the first task: the folder is the run's own.
    for (const run of runs) {
      run.folder = await RunFolder.claim(options.resultsDir, run.plan.dataset.name, createdAt);
      display.info(c.dim(`run ${run.folder.runId}: ${terminalText(run.plan.dataset.name)}`));
    }
    results = await Promise.all(runs.map((run) => trainDataset(run, ctx)));
  } finally {
    display.stop();
    signal?.removeEventListener('abort', notice);
  }
  if (!options.json && !options.quiet)
    for (const { report, folder } of results)
      process.stdout.write(`\n${formatSummary(report, folder && shown(folder), c, options.columns)}\n`);
  if (options.json) {
    const reports = results.map((r) => r.report);
    (options.writeReport ?? ((text: string) => process.stdout.write(text)))(
      `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`,
    );
  }
  if (results.some((r) => r.unsaved !== undefined)) return EXIT_UNSAVED;
  if (results.some((r) => r.report.status === 'interrupted')) return interruptExitStatus(signal!.reason);
  return results.some((r) => r.report.models.some((m) => m.status === 'failed')) ? 1 : 0;
}

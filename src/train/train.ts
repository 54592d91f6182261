// train/: one training run, from loaded data to written run folders. train.ts orchestrates; plan.ts
// decides splits and folds; evaluate-model.ts turns one model into tasks and its results into a
// report row; build-report.ts assembles a report; progress.ts shows the run as it goes;
// draw-charts.ts draws report.html's charts in idle time; interrupt.ts handles Ctrl-C. May import
// every folder but commands/ and cli/.
import type { LoadedDataset } from '../data/load.js';
import { UsageError } from '../errors.js';
import type { Executor } from '../execution/executor.js';
import { Scheduler } from '../execution/scheduler.js';
import { type Colors, colors, formatSummary } from '../format/console.js';
import { formatMarkdown } from '../format/markdown.js';
import type { ModelDefinition, Preprocessing } from '../ml/estimator.js';
import { packageVersion, shown } from '../paths.js';
import type { Report, RunSettings } from '../results/report.js';
import { newRunId, RunFolder } from '../results/write.js';
import { buildReport } from './build-report.js';
import { ReportCharts } from './draw-charts.js';
import { evaluateModel, plannedWork } from './evaluate-model.js';
import { Interrupted, interruptExitStatus, wasCutShort } from './interrupt.js';
import { planFolds, planSplit, type RunPlan, type SplitOptions } from './plan.js';
import { progressMode, RunTracker, startDisplay, type Display, type RunEvent } from './progress.js';

/** What a run trains, resolved by its caller (src/api/): loaded data sets and chosen models. */
export interface TrainOptions extends SplitOptions {
  datasets: readonly LoadedDataset[];
  /** Each data set's resolved settings, recorded in its report (same order as `datasets`). */
  settings?: readonly RunSettings[];
  models: readonly ModelDefinition[];
  /** Absolute paths of the modules the workers load the models from. */
  modules: readonly string[];
  preprocess?: Preprocessing;
  /** Where run folders go; without one nothing is written and the reports are only returned. */
  resultsDir?: string;
  /** The backend's name, for the report's versions (its npm package). */
  backend: 'piscina' | 'bullmq';
  /** The console output of `trainpool train`; without it the run prints nothing. */
  output?: {
    json?: boolean;
    quiet?: boolean;
    /** Colour in what it prints (the caller decides: a terminal, no NO_COLOR, no --no-color). */
    color: boolean;
  };
  /** Hears what the console display shows, as data. */
  onEvent?: (event: TrainEvent) => void;
}

/** A run's progress as data: the scheduler's and models' events, and every line the display prints. */
export type TrainEvent =
  | (RunEvent & { tracker: RunTracker })
  | { kind: 'run-start'; runId: string; dataset: string; folder?: string }
  | { kind: 'warning'; message: string }
  | { kind: 'stopping'; message: string }
  | { kind: 'run-done'; report: Report; folder?: string };

export interface TrainOutcome {
  runs: { report: Report; folder?: string }[];
  /** What `trainpool train` exits with: 0, 1 when a model failed, 130/143 when interrupted. */
  exitStatus: number;
}

/** A data set ready to train on: loaded, validated, split, with its run folder claimed. */
interface DatasetRun {
  loaded: LoadedDataset;
  plan: RunPlan;
  folder?: RunFolder;
  /** The run id when no folder is written. */
  runId?: string;
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
    return { loaded, plan };
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

/** Trains every model on one data set and lands its run folder, when there is one. */
async function trainDataset(
  run: DatasetRun,
  index: number,
  ctx: RunContext,
): Promise<{ report: Report; folder?: string }> {
  const { loaded, plan } = run;
  const settings = ctx.options.settings?.[index];
  // Charts are drawn in idle CPU while the models train; with several data sets, each page is
  // drawn once its own models are done. A run that writes no folder draws none.
  const charts = run.folder ? new ReportCharts(ctx.several ? undefined : ctx.tracker) : undefined;
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
    // Without a run folder there is no file to name: the report is only returned.
    if (model === undefined || report.status !== 'ok' || !run.folder) return report;
    const modelFile = `models/${report.id}.json`;
    files[modelFile] = model;
    return { ...report, modelFile };
  });
  const report = buildReport({
    runId: run.folder?.runId ?? run.runId!,
    createdAt: ctx.createdAt,
    interrupted,
    loaded,
    split: plan.split,
    folds: plan.folds,
    options: { ...ctx.options, missing: typeof settings?.dataset === 'object' ? settings.dataset?.missing : undefined },
    ...(settings ? { settings } : {}),
    models: plan.models,
    rows,
    threads: ctx.threads,
    versions: { trainpool: packageVersion(), [ctx.options.backend]: packageVersion(ctx.options.backend) },
    durationMs: performance.now() - ctx.started,
  });
  if (!run.folder || !charts) return { report };
  files['report.json'] = `${JSON.stringify(report, null, 2)}\n`;
  files['report.md'] = formatMarkdown(report);
  files['report.html'] = await charts.html(report, (message) => ctx.display.warn(`train: warning: ${message}`));
  return { report, folder: await run.folder.land(files) };
}

/**
 * Runs the training the options ask for on the given executor and writes a report per data set
 * (when there is a results folder). Every data set is checked and split before any training
 * starts, so bad input writes nothing. When `signal` aborts, no new task starts, running ones are
 * stopped, and each report, marked interrupted, holds what finished.
 */
export async function train(options: TrainOptions, executor: Executor, signal?: AbortSignal): Promise<TrainOutcome> {
  const started = performance.now();
  const createdAt = new Date();
  const models = [...options.models];
  const modules = [...options.modules];
  const runs = await Promise.all(options.datasets.map((l) => planDataset(options, l, models, modules)));

  const output = options.output;
  const c: Colors = colors(output?.color === true);
  const stream = output?.json ? process.stderr : process.stdout;
  const work = runs.flatMap((r) => models.map((def) => plannedWork(r.plan, def)));
  const tracker = new RunTracker(
    work.reduce((n, w) => n + w.tasks, 0),
    models.length * runs.length,
    work.reduce((n, w) => n + w.cost, 0),
  );
  // One scheduler in front of the one pool: every data set's tasks share the threads.
  const scheduler = new Scheduler(executor, signal);
  tracker.observe(scheduler);
  const emit = options.onEvent ?? (() => {});
  tracker.on((event, t) => emit({ ...event, tracker: t }));
  const screen = output
    ? startDisplay(tracker, progressMode(stream, output.quiet === true), stream, c)
    : { info: () => {}, warn: () => {}, stop: () => {} };
  const display: Display = {
    info: screen.info,
    warn: (line) => {
      emit({ kind: 'warning', message: line.replace(/^train: warning: /, '') });
      screen.warn(line);
    },
    stop: screen.stop,
  };
  const notice = () => {
    const reason: unknown = signal?.reason;
    const name = reason instanceof Interrupted ? (reason.signal === 'SIGINT' ? 'Ctrl-C' : reason.signal) : 'stopped';
    emit({ kind: 'stopping', message: `${name}: stopping; the reports hold what finished` });
    if (output && !output.quiet)
      screen.warn(`train: ${name}: stopping; writing the report of what finished (press Ctrl-C again to quit at once)`);
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
  let results: { report: Report; folder?: string }[];
  try {
    // Every run id is claimed, and shown, before the first task: the folder is the run's own.
    for (const run of runs) {
      const name = run.plan.dataset.name;
      if (options.resultsDir !== undefined) run.folder = await RunFolder.claim(options.resultsDir, name, createdAt);
      else run.runId = newRunId(name, createdAt);
      const runId = run.folder?.runId ?? run.runId!;
      emit({ kind: 'run-start', runId, dataset: name, ...(run.folder ? { folder: run.folder.target } : {}) });
      display.info(c.dim(`run ${runId}: ${name}`));
    }
    results = await Promise.all(runs.map((run, i) => trainDataset(run, i, ctx)));
  } finally {
    display.stop();
    signal?.removeEventListener('abort', notice);
  }
  for (const { report, folder } of results) emit({ kind: 'run-done', report, ...(folder ? { folder } : {}) });
  if (output && !output.json && !output.quiet)
    for (const { report, folder } of results)
      process.stdout.write(`\n${formatSummary(report, folder === undefined ? undefined : shown(folder), c)}\n`);
  if (output?.json) {
    const reports = results.map((r) => r.report);
    process.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  }
  const exitStatus = results.some((r) => r.report.status === 'interrupted')
    ? interruptExitStatus(signal!.reason)
    : results.some((r) => r.report.models.some((m) => m.status === 'failed'))
      ? 1
      : 0;
  return { runs: results, exitStatus };
}

// train/: one training run, from loaded data to written run folders. train.ts orchestrates; plan.ts
// decides splits and folds; evaluate-model.ts turns one model into tasks and its results into a
// report row; build-report.ts assembles a report; progress.ts shows the run as it goes;
// draw-charts.ts draws report.html's charts in idle time; interrupt.ts handles Ctrl-C; journal.ts
// keeps every finished task's result in the run's folder and resume.ts the settings, so that a run
// stopped by anything can be resumed. May import every folder but commands/ and cli/.
import { join, resolve } from 'node:path';
import type { CsvOptions } from '../data/csv.js';
import { type DatasetSpec, type LoadedDataset, loadDatasets, resolveDatasetSpec } from '../data/load.js';
import { DEFAULT_SOURCES, remoteOptions, type SourceFlags } from '../data/sources.js';
import { UsageError } from '../errors.js';
import type { Executor } from '../execution/executor.js';
import { Scheduler, type Budget } from '../execution/scheduler.js';
import { type Colors, colors, formatSummary } from '../format/console.js';
import { terminalText } from '../format/escape.js';
import { formatMarkdown } from '../format/markdown.js';
import type { Library, ModelDefinition, Preprocessing } from '../ml/estimator.js';
import { loadRegistry, selectModels, withParams, type ParamSetting } from '../models/registry.js';
import { packageVersion, shown } from '../paths.js';
import type { Measure, MeasureSpec, Report } from '../results/report.js';
import { RunFolder } from '../results/write.js';
import { buildReport } from './build-report.js';
import { ReportCharts } from './draw-charts.js';
import { startFetchDisplay } from './fetch-progress.js';
import { evaluateModel, plannedWork } from './evaluate-model.js';
import { Interrupted, interruptExitStatus, wasCutShort } from './interrupt.js';
import { Journal, JOURNAL_FILE, journaled } from './journal.js';
import { RUN_FILE, savedRun, type SavedRun } from './resume.js';
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
  /**
   * The run to resume (--resume), whose saved settings these options already hold: its folder is
   * taken over, its journal's results reused, its data set must be the one it started on.
   */
  resume?: SavedRun;
  /** A time budget (--budget): from `startedAt` (a performance.now() time), with its grace. */
  budget?: { ms: number; graceMs: number; startedAt: number };
}

/** A data set ready to train on: loaded, validated, split, with its run folder claimed. */
interface DatasetRun {
  loaded: LoadedDataset;
  plan: RunPlan;
  sortBy: Measure;
  folder?: RunFolder;
  journal?: Journal;
  /** Results the journal held when the run started (0 for a new run). */
  fromJournal?: number;
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
  /** Each model's library or engine: part of its tasks' journal keys. */
  libraries: ReadonlyMap<string, Library>;
  /** How many times the run had been resumed before this process (--resume), else 0. */
  resumes: number;
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
  const tasks = journaled(ctx.scheduler, run.journal!, ctx.libraries, (cost) => ctx.tracker.taskReused(cost));
  const done = await Promise.all(
    plan.models.map(async (def) => {
      const result = await evaluateModel(plan, def, tasks);
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
    ...(ctx.options.budget
      ? {
          budget: {
            seconds: ctx.options.budget.ms / 1000,
            graceSeconds: ctx.options.budget.graceMs / 1000,
            ranOut: ctx.scheduler.budgetSpent,
          },
        }
      : {}),
    ...(ctx.resumes > 0 ? { resumed: { times: ctx.resumes, tasksFromJournal: run.fromJournal ?? 0 } } : {}),
  });
  files['report.json'] = `${JSON.stringify(report, null, 2)}\n`;
  files['report.md'] = formatMarkdown(report);
  files['report.html'] = await charts.html(report, (message) => ctx.display.warn(`train: warning: ${message}`));
  // Every result on disk before the folder lands: a run that lands incomplete can be resumed.
  await run.journal!.close();
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
  // A resumed run is the same run: it keeps the time it started.
  const createdAt = options.resume ? new Date(options.resume.createdAt) : new Date();
  const modules = (options.modelModule ?? []).map((p) => resolve(p));
  const registry = await loadRegistry(modules);
  const resume = options.resume;
  const models = withParams(
    registry,
    selectModels(registry, resume ? resume.models : options.models),
    (resume ? resume.param : options.param) ?? [],
  );
  const specs = resume ? [resolveDatasetSpec(resume.dataset.arg)] : (options.dataset ?? ['iris']).map(resolveDatasetSpec);
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
  if (resume && loaded[0]!.dataset.sha256 !== resume.datasetSha256)
    throw new UsageError(
      `run ${resume.runId} cannot be resumed: its data set ${resume.dataset.file ?? resume.dataset.name} changed since it started (sha256 ${resume.datasetSha256.slice(0, 12)}, now ${loaded[0]!.dataset.sha256.slice(0, 12)}); start a new run`,
    );
  const runs = await Promise.all(loaded.map((l) => planDataset(options, l, models, modules)));

  const work = runs.flatMap((r) => models.map((def) => plannedWork(r.plan, def)));
  const tracker = new RunTracker(
    work.reduce((n, w) => n + w.tasks, 0),
    models.length * runs.length,
    work.reduce((n, w) => n + w.cost, 0),
  );
  // One scheduler in front of the one pool: every data set's tasks share the threads and the budget.
  const budget: Budget | undefined = options.budget && {
    deadline: options.budget.startedAt + options.budget.ms,
    graceMs: options.budget.graceMs,
    label: `${+(options.budget.ms / 1000).toFixed(3)} s (--budget)`,
  };
  const scheduler = new Scheduler(executor, signal, budget);
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
    libraries: new Map(models.map((def) => [def.id, def.library])),
    resumes: resume ? resume.resumes + 1 : 0,
  };
  let results: Trained[];
  try {
    // Every run id is claimed, and shown, before the first task: the folder is the run's own, and
    // holds what a resume needs (its settings, its journal) before any task can finish.
    for (const run of runs) {
      run.folder = resume
        ? await RunFolder.takeOver(options.resultsDir, resume.runId)
        : await RunFolder.claim(options.resultsDir, run.plan.dataset.name, createdAt);
      const saved = savedRun(
        {
          runId: run.folder.runId,
          createdAt,
          resumes: ctx.resumes,
          spec: run.loaded.spec,
          sha256: run.plan.dataset.sha256,
          models: models.map((def) => def.id),
        },
        { ...options, modelModule: modules },
      );
      await run.folder.keep(RUN_FILE, `${JSON.stringify(saved, null, 2)}\n`);
      run.journal = await Journal.open(join(run.folder.staging, JOURNAL_FILE), ctx.resumes, (line) =>
        display.warn(line),
      );
      run.fromJournal = run.journal.size;
      display.info(
        c.dim(
          resume
            ? `run ${run.folder.runId}: ${terminalText(run.plan.dataset.name)}, resumed (${run.fromJournal} task result${run.fromJournal === 1 ? '' : 's'} in its journal)`
            : `run ${run.folder.runId}: ${terminalText(run.plan.dataset.name)}`,
        ),
      );
    }
    results = await Promise.all(runs.map((run) => trainDataset(run, ctx)));
  } finally {
    display.stop();
    signal?.removeEventListener('abort', notice);
  }
  if (!options.json && !options.quiet)
    for (const { report, folder } of results) {
      process.stdout.write(`\n${formatSummary(report, folder && shown(folder), c, options.columns)}\n`);
      const cut = report.models.filter((m) => m.status === 'not-run' && m.reason.kind === 'budget').length;
      if (cut > 0)
        process.stdout.write(
          `${c.yellow(`budget: ${cut} model${cut === 1 ? '' : 's'} not run in ${report.budget?.seconds} s`)}; \`npm run train -- --resume ${report.runId}\` trains the rest\n`,
        );
    }
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

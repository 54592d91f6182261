// train/: one training run, from loaded data to written run folders. train.ts orchestrates; plan.ts
// decides splits and folds; evaluate-model.ts turns one model into tasks and its results into a
// report row; build-report.ts assembles a report; progress.ts shows the run as it goes (and
// fetch-progress.ts its downloads); draw-charts.ts draws report.html's charts in idle time;
// interrupt.ts handles Ctrl-C; journal.ts keeps every finished task's result in the run's folder
// and resume.ts the settings, so that a run stopped by anything can be resumed. What to train
// (data loaded, models chosen, settings resolved) is its caller's, src/api/. May import every
// folder but api/, commands/ and cli/.
import { join } from 'node:path';
import type { LoadedDataset } from '../data/load.js';
import { UsageError } from '../errors.js';
import type { Executor } from '../execution/executor.js';
import { Scheduler, type Budget } from '../execution/scheduler.js';
import { type Colors, colors, formatSummary } from '../format/console.js';
import { terminalText } from '../format/escape.js';
import { formatMarkdown } from '../format/markdown.js';
import type { Library, ModelDefinition, Preprocessing } from '../ml/estimator.js';
import { packageVersion, shown } from '../paths.js';
import type { Measure, MeasureSpec, Report, RunSettings } from '../results/report.js';
import { newRunId, RunFolder } from '../results/write.js';
import { buildReport } from './build-report.js';
import { ReportCharts } from './draw-charts.js';
import { evaluateModel, plannedWork } from './evaluate-model.js';
import { Interrupted, interruptExitStatus, wasCutShort } from './interrupt.js';
import { Journal, JOURNAL_FILE, journaled } from './journal.js';
import { RUN_FILE, savedRun } from './resume.js';
import { planFolds, planMeasure, planSplit, type RunPlan, type SplitOptions } from './plan.js';
import { progressMode, RunTracker, startDisplay, type Display, type RunEvent } from './progress.js';

/** What a run trains, resolved by its caller (src/api/): loaded data sets and chosen models. */
export interface TrainOptions extends SplitOptions {
  datasets: readonly LoadedDataset[];
  /** Each data set's resolved settings: recorded in its report and its run.json (same order as `datasets`). */
  settings: readonly RunSettings[];
  models: readonly ModelDefinition[];
  /** Absolute paths of the modules the workers load the models from. */
  modules: readonly string[];
  preprocess?: Preprocessing;
  /** Where run folders go; without one nothing is written and the reports are only returned. */
  resultsDir?: string;
  /** The backend's name, for the report's versions (its npm package). */
  backend: 'piscina' | 'bullmq';
  /** The console output of `trainpool train`; without it the run prints nothing. */
  output?: Output;
  /** Hears what the console display shows, as data. */
  onEvent?: (event: TrainEvent) => void;
  /** What the leaderboard sorts by (default: CV accuracy with CV, else test accuracy). */
  sortBy?: MeasureSpec;
  /** The console leaderboard's columns. */
  columns?: readonly MeasureSpec[];
  /**
   * The run to resume (--resume), whose saved settings these options already hold: its folder is
   * taken over and its journal's results reused.
   */
  resume?: { runId: string; createdAt: string; resumes: number };
  /** A time budget (--budget): from `startedAt` (a performance.now() time), with its grace. */
  budget?: { ms: number; graceMs: number; startedAt: number };
}

export interface Output {
  json?: boolean;
  quiet?: boolean;
  /** Colour in what it prints (the caller decides: a terminal, no NO_COLOR, no --no-color). */
  color: boolean;
  /** Where the --json report goes (the caller may keep stdout for it alone: reserveStdout). */
  writeReport?: (text: string) => void;
  /** How to name the command in what to type next (`npm run train --`, `trainpool train`). */
  command?: string;
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
  /** What `trainpool train` exits with: 0, 1 when a model failed, 3 when a folder could not be saved, 130/143 when interrupted. */
  exitStatus: number;
}

/** A data set ready to train on: loaded, validated, split, with its run folder claimed. */
interface DatasetRun {
  loaded: LoadedDataset;
  settings: RunSettings;
  plan: RunPlan;
  sortBy: Measure;
  folder?: RunFolder;
  /** The run id when no folder is written. */
  runId?: string;
  journal?: Journal;
  /** Results the journal held when the run started (0 for a new run). */
  fromJournal?: number;
}

async function planDataset(
  options: TrainOptions,
  loaded: LoadedDataset,
  settings: RunSettings,
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
    return { loaded, settings, plan, sortBy };
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

/** A data set's finished run: its report and where its folder landed (none: not written, or nowhere would take it). */
interface Trained {
  report: Report;
  folder?: string;
  /** Why the folder is not in the results folder, when it is not. */
  unsaved?: string;
}

/**
 * Exit status of a run whose folder could not be written to the results folder (it went to a
 * fallback folder, or nowhere), whatever else happened: scripts that look in the results folder
 * would not find it.
 */
export const EXIT_UNSAVED = 3;

/** Trains every model on one data set and lands its run folder, when there is one. */
async function trainDataset(run: DatasetRun, ctx: RunContext): Promise<Trained> {
  const { loaded, plan } = run;
  // Charts are drawn in idle CPU while the models train; with several data sets, each page is
  // drawn once its own models are done. A run that writes no folder draws none.
  const charts = run.folder
    ? new ReportCharts(ctx.several ? undefined : ctx.tracker, {
        dataset: { classes: plan.dataset.classNames, labels: Array.from(plan.dataset.labels) },
        split: plan.split,
        cv: plan.folds ? { testFolds: plan.folds } : null,
      })
    : undefined;
  const tasks = run.journal
    ? journaled(ctx.scheduler, run.journal, ctx.libraries, (cost) => ctx.tracker.taskReused(cost))
    : ctx.scheduler;
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
    options: {
      ...ctx.options,
      missing: typeof run.settings.dataset === 'object' ? run.settings.dataset?.missing : undefined,
    },
    settings: run.settings,
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
  if (!run.folder || !charts) return { report };
  files['report.json'] = `${JSON.stringify(report, null, 2)}\n`;
  files['report.md'] = formatMarkdown(report);
  files['report.html'] = await charts.html(report, (message) => ctx.display.warn(`train: warning: ${message}`));
  // Every result on disk before the folder lands: a run that lands incomplete can be resumed.
  await run.journal?.close();
  const landed = await run.folder.landOrFallBack(files);
  if (landed.problem !== undefined) {
    ctx.display.warn(
      `train: error: ${landed.problem}; ${landed.path ? `it is saved in ${shown(landed.path)} instead (move it into ${shown(run.folder.resultsDir)} when that can take it)` : 'no fallback folder could be written either: report.json follows on stderr'}`,
    );
    // Nowhere to keep it but the terminal or the log: never lose a finished run.
    if (!landed.path && !ctx.options.output?.json) process.stderr.write(files['report.json']);
  }
  return {
    report,
    ...(landed.path !== undefined ? { folder: landed.path } : {}),
    ...(landed.problem !== undefined ? { unsaved: landed.problem } : {}),
  };
}

/**
 * Runs the training the options ask for on the given executor and writes a report per data set
 * (when there is a results folder). Every data set is checked and split before any training
 * starts, so bad input writes nothing. When `signal` aborts, no new task starts, running ones are
 * stopped, and each report, marked interrupted, holds what finished.
 */
export async function train(options: TrainOptions, executor: Executor, signal?: AbortSignal): Promise<TrainOutcome> {
  const started = performance.now();
  // A resumed run is the same run: it keeps the time it started.
  const resume = options.resume;
  const createdAt = resume ? new Date(resume.createdAt) : new Date();
  const models = [...options.models];
  const modules = [...options.modules];
  const runs = await Promise.all(
    options.datasets.map((l, i) => planDataset(options, l, options.settings[i]!, models, modules)),
  );

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
  const output = options.output;
  const c: Colors = colors(output?.color === true);
  const stream = output?.json ? process.stderr : process.stdout;
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
  // What model code prints in the workers: shown above the status line, not with --quiet.
  executor.onOutput?.(output?.quiet ? () => {} : (line) => display.warn(line));
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
    libraries: new Map(models.map((def) => [def.id, def.library])),
    resumes: resume ? resume.resumes + 1 : 0,
  };
  let results: Trained[];
  try {
    // Every run id is claimed, and shown, before the first task: the folder is the run's own, and
    // holds what a resume needs (its settings, its journal) before any task can finish.
    for (const run of runs) {
      const name = run.plan.dataset.name;
      const resultsDir = options.resultsDir;
      if (resultsDir === undefined) run.runId = newRunId(name, createdAt);
      else {
        const folder = resume
          ? await RunFolder.takeOver(resultsDir, resume.runId)
          : await RunFolder.claim(resultsDir, name, createdAt);
        run.folder = folder;
        const saved = savedRun({
          runId: folder.runId,
          createdAt,
          resumes: ctx.resumes,
          datasetSha256: run.plan.dataset.sha256,
          settings: run.settings,
        });
        await folder.keep(RUN_FILE, `${JSON.stringify(saved, null, 2)}\n`);
        run.journal = await Journal.open(join(folder.staging, JOURNAL_FILE), ctx.resumes, (line) => display.warn(line));
        run.fromJournal = run.journal.size;
      }
      const runId = run.folder?.runId ?? run.runId!;
      emit({ kind: 'run-start', runId, dataset: name, ...(run.folder ? { folder: run.folder.target } : {}) });
      display.info(
        c.dim(
          resume
            ? `run ${runId}: ${terminalText(name)}, resumed (${run.fromJournal} task result${run.fromJournal === 1 ? '' : 's'} in its journal)`
            : `run ${runId}: ${terminalText(name)}`,
        ),
      );
    }
    results = await Promise.all(runs.map((run) => trainDataset(run, ctx)));
  } finally {
    display.stop();
    signal?.removeEventListener('abort', notice);
  }
  for (const { report, folder } of results) emit({ kind: 'run-done', report, ...(folder ? { folder } : {}) });
  if (output && !output.json && !output.quiet)
    for (const { report, folder } of results) {
      process.stdout.write(`\n${formatSummary(report, folder && shown(folder), c, options.columns)}\n`);
      const cut = report.models.filter((m) => m.status === 'not-run' && m.reason.kind === 'budget').length;
      if (cut > 0)
        process.stdout.write(
          `${c.yellow(`budget: ${cut} model${cut === 1 ? '' : 's'} not run in ${report.budget?.seconds} s`)}; \`${output.command ?? 'trainpool train'} --resume ${report.runId}\` trains the rest\n`,
        );
    }
  if (output?.json) {
    const reports = results.map((r) => r.report);
    (output.writeReport ?? ((text: string) => process.stdout.write(text)))(
      `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`,
    );
  }
  const exitStatus = results.some((r) => r.unsaved !== undefined)
    ? EXIT_UNSAVED
    : results.some((r) => r.report.status === 'interrupted')
      ? interruptExitStatus(signal!.reason)
      : results.some((r) => r.report.models.some((m) => m.status === 'failed'))
        ? 1
        : 0;
  return {
    runs: results.map(({ report, folder }) => ({ report, ...(folder !== undefined ? { folder } : {}) })),
    exitStatus,
  };
}

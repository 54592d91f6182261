// `train(options)`: the run `trainpool train` does, called from code. The command parses its flags
// and config file into these same options and calls `runTrain` here, adding only the console
// output, Ctrl-C, --from/--resume and the exit status; everything else (checking options, choosing
// models, loading data, building the executor, the run itself in train/train.ts) is this one path.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { MAX_CATEGORIES } from '../data/table.js';
import { UsageError } from '../errors.js';
import type { BackendOptions } from '../execution/backends.js';
import { redisUrlFrom } from '../execution/bullmq/redis-url.js';
import type { Executor } from '../execution/executor.js';
import { MODEL_THREAD } from '../execution/thread-guard.js';
import { colors } from '../format/console.js';
import { SETTING_NAMES, type SettingNames } from '../models/registry.js';
import type { Report, RunSettings } from '../results/report.js';
import type { Output, TrainOutcome } from '../train/train.js';
import { loadSources, type DataSource, type Fetching, type LoadedData, type Source } from './data.js';
import { chooseModels, type AnyDefinition } from './models.js';
import { progressSink, type ProgressListener } from './progress.js';
import { checkSettings, naming, resolveSettings, type Resolved, type TrainSettings } from './settings.js';

export interface TrainOptions extends Omit<TrainSettings, 'dataset' | 'models'> {
  /**
   * What to train on: `iris` (the default), a name in datasets/, a CSV, ARFF or JSON path
   * (relative to the working directory), an http(s) URL or `openml:<id>`, `{ path, label?,
   * delimiter?, missing? }`, data in memory (`{ features, labels }`) or what `loadDataset`
   * returned; or a list of them (one report each).
   */
  dataset?: DataSource | LoadedData | readonly (DataSource | LoadedData)[];
  /** Model ids, or definitions made with `defineModel(definition, import.meta.url)`. */
  models?: readonly (string | AnyDefinition)[];
  /** Aborting stops the run: no new task starts, running ones are stopped, the reports hold what finished. */
  signal?: AbortSignal;
  /** Hears the run's progress: the events the console display shows. */
  onProgress?: ProgressListener;
}

/** What `trainpool train` adds to a run: console output, its own interrupt, --from and --resume. */
export interface RunHow {
  output?: Output;
  signal?: AbortSignal;
  /** An executor to run on instead of one built from the options (the caller closes it). */
  executor?: Executor;
  /** The data must still be the one a run had: `--from` (repeating it) or `--resume` (continuing it). */
  sameData?: { flag: '--from' | '--resume'; runId: string; sha256: string };
  /** `--resume`: the run to continue, whose settings the options hold; its folder is taken over. */
  resume?: { runId: string; createdAt: string; resumes: number };
  /** How messages name the options: `train()` or a config file's name. */
  source?: string;
  /** How messages name params and grids (the command names its --param flags). */
  names?: SettingNames;
  /** When the run started (a performance.now() time): its budget counts from there. */
  startedAt?: number;
}

const isMemory = (value: unknown) => typeof value === 'object' && value !== null && 'features' in value;

/** More worker threads than this per core are refused. */
const MAX_THREADS_PER_CORE = 4;

/** The backend the options ask for; options that do not fit it are usage errors. */
function backendOptions(r: Resolved, log: ((line: string) => void) | undefined): BackendOptions {
  const common = { retries: r.retries, ...(r.timeout === undefined ? {} : { timeoutMs: r.timeout * 1000 }) };
  if (r.backend === 'piscina') {
    // REDIS_URL alone does not ask for the BullMQ backend: it may be set for other tools.
    if (r.redis !== undefined)
      throw new UsageError('--redis is only used with --backend bullmq; add --backend bullmq or drop --redis');
    // Refused rather than capped: a run does what it was asked, or says why not. Threads beyond
    // the cores add memory and start-up time and no speed (1,024 on iris: 77 s and 3.2 GB).
    const cores = availableParallelism();
    if (r.threads > MAX_THREADS_PER_CORE * cores)
      throw new UsageError(
        `--threads ${r.threads} is more than ${MAX_THREADS_PER_CORE}x this machine's ${cores} cores; more threads than cores only add memory and start-up time: use at most ${MAX_THREADS_PER_CORE * cores} (the default, ${cores}, is one per core)`,
      );
    return {
      backend: 'piscina',
      threads: r.threads,
      ...(r.maxMemoryMb === undefined ? {} : { maxMemoryMb: r.maxMemoryMb }),
      ...common,
    };
  }
  const url = redisUrlFrom(r.redis);
  if (url === undefined)
    throw new UsageError(
      '--backend bullmq needs --redis <url> (or REDIS_URL), the Redis its workers use, e.g. redis://127.0.0.1:6379',
    );
  if (r.maxMemoryMb !== undefined)
    throw new UsageError(
      '--max-memory-mb caps the threads of the local pool; with --backend bullmq give it to each `npm run worker`',
    );
  return { backend: 'bullmq', url, ...common, ...(log ? { log } : {}) };
}

/** What repeats a data set's run: the resolved options, paths absolute. */
function settingsFor(r: Resolved, source: Source, models: string[], modules: string[]): RunSettings {
  const k = r.foldsFile ? 0 : r.cv === true ? 5 : (r.cv ?? (r.tune ? 5 : 0));
  // A --sha256 pins the one URL of the run: it goes with it, as #sha256= would.
  const pin = r.sources.sha256;
  const dataset =
    pin !== undefined &&
    typeof source.setting === 'object' &&
    source.setting !== null &&
    !/#sha256=/.test(source.setting.path)
      ? { ...source.setting, path: `${source.setting.path}#sha256=${pin}` }
      : source.setting;
  return {
    dataset,
    models,
    modelModule: modules,
    ...(Object.keys(r.params).length > 0 ? { params: r.params } : {}),
    ...(Object.keys(r.grid).length > 0 ? { grid: r.grid } : {}),
    seed: r.seed,
    ...(r.splitFile !== undefined ? { splitFile: resolve(r.splitFile) } : { testSize: r.testSize }),
    ...(k > 0 ? { cv: k } : {}),
    ...(r.foldsFile !== undefined ? { foldsFile: resolve(r.foldsFile) } : {}),
    tune: r.tune,
    ...(r.preprocess !== undefined ? { preprocess: r.preprocess } : {}),
    ...(r.maxCategories !== MAX_CATEGORIES ? { maxCategories: r.maxCategories } : {}),
    ...(r.sources.records !== undefined ? { records: r.sources.records } : {}),
    threads: r.threads,
    ...(r.timeout !== undefined ? { timeout: r.timeout } : {}),
    ...(r.maxMemoryMb !== undefined ? { maxMemoryMb: r.maxMemoryMb } : {}),
    retries: r.retries,
    backend: r.backend,
    ...(r.budget ? { budget: r.budget.ms / 1000, budgetGrace: r.budget.graceMs / 1000 } : {}),
  };
}

/** Reads every data set, showing the downloads' progress on the console when there is one. */
async function load(
  sources: readonly unknown[] | undefined,
  r: Resolved,
  output: Output | undefined,
  signal: AbortSignal | undefined,
): Promise<Source[]> {
  const remote = r.dataset.some((d) => {
    const arg = typeof d === 'string' ? d : d.path;
    return /^(openml:|https?:\/\/)/i.test(arg);
  });
  let display: { event: NonNullable<Fetching['onEvent']>; stop(): void } | undefined;
  if (remote && output) {
    const [{ startFetchDisplay }, { progressMode }] = await Promise.all([
      import('../train/fetch-progress.js'),
      import('../train/progress.js'),
    ]);
    const stream = output.json ? process.stderr : process.stdout;
    display = startFetchDisplay(progressMode(stream, output.quiet === true), stream, colors(output.color));
  }
  try {
    return await loadSources(
      sources ? r.dataset.map((d, i) => (isMemory(sources[i]) ? (sources[i] as LoadedData) : d)) : r.dataset,
      {
        missing: r.missing,
        maxCategories: r.maxCategories,
        ...(r.label !== undefined ? { label: r.label } : {}),
        ...(r.delimiter !== undefined ? { delimiter: r.delimiter } : {}),
      },
      'dataset',
      { flags: r.sources, ...(display ? { onEvent: display.event } : {}), ...(signal ? { signal } : {}) },
    );
  } finally {
    display?.stop();
  }
}

/** The run behind both `train()` and `trainpool train`. */
export async function runTrain(options: TrainOptions, how: RunHow = {}): Promise<TrainOutcome> {
  const startedAt = how.startedAt ?? performance.now();
  if ((globalThis as Record<symbol, unknown>)[MODEL_THREAD] === true)
    throw new UsageError(
      'train() was called inside a pool thread: a module that defines a model also calls train() when it is imported; call train() from another module',
    );
  const { dataset, models, signal: given, onProgress, ...json } = options;
  const source = how.source ?? 'train()';
  if (given !== undefined && !(given instanceof AbortSignal))
    throw new UsageError(`${source}: "signal" must be an AbortSignal (new AbortController().signal)`);
  if (onProgress !== undefined && typeof onProgress !== 'function' && typeof onProgress?.emit !== 'function')
    throw new UsageError(`${source}: "onProgress" must be a function (event) => void, or an EventEmitter`);
  const signal = how.signal ?? given;
  const sources = dataset === undefined ? undefined : Array.isArray(dataset) ? [...dataset] : [dataset];
  // Data and definitions in memory are not JSON: the schema checks what stands in their place.
  const checked = checkSettings(
    {
      ...json,
      ...(sources ? { dataset: sources.map((s) => (isMemory(s) ? '(in memory)' : s)) } : {}),
      ...(models ? { models: models.map((m) => (typeof m === 'string' ? m : String(m?.id))) } : {}),
    },
    source,
  );
  const r = resolveSettings(checked);
  const sink = progressSink(onProgress);
  // The backend's notes: on stderr for the command, as events for code.
  const log = how.output
    ? how.output.quiet
      ? undefined
      : (line: string) => void process.stderr.write(`${line}\n`)
    : sink.note;
  const backend = backendOptions(r, log);
  // Start the workers first: they boot and load the models while this thread loads the data.
  const { createExecutor } = await import('../execution/backends.js');
  const executor = how.executor ?? (await createExecutor(backend));
  try {
    const chosen = await naming(source, () =>
      chooseModels({
        ...(models ? { models } : {}),
        modelModule: r.modelModule,
        params: r.params,
        grid: r.grid,
        names: how.names ?? SETTING_NAMES,
      }),
    );
    let loaded: Source[];
    try {
      loaded = await naming(source, () => load(sources, r, how.output, signal));
    } catch (error) {
      if (!signal?.aborted || !how.output) throw error;
      process.stderr.write('train: stopped while loading the data; nothing was written\n');
      const { interruptExitStatus } = await import('../train/interrupt.js');
      return { runs: [], exitStatus: interruptExitStatus(signal.reason) };
    }
    const same = how.sameData;
    const now = loaded[0]?.loaded;
    if (same && now && now.dataset.sha256 !== same.sha256)
      throw new UsageError(
        same.flag === '--resume'
          ? `run ${same.runId} cannot be resumed: its data set ${now.spec.file ?? now.dataset.name} changed since it started (sha256 ${same.sha256.slice(0, 12)}, now ${now.dataset.sha256.slice(0, 12)}); start a new run`
          : `--from ${same.runId}: the data is no longer the run's: ${now.spec.file ?? now.dataset.name} has sha256 ${now.dataset.sha256.slice(0, 12)}…, the run's was ${same.sha256.slice(0, 12)}…; restore the data, or train without --from`,
      );
    const ids = chosen.models.map((d) => d.id);
    sink.datasets(loaded.map((s) => s.loaded.dataset));
    const { train } = await import('../train/train.js');
    const outcome = await train(
      {
        datasets: loaded.map((s) => s.loaded),
        settings: loaded.map((s) => settingsFor(r, s, ids, chosen.modules)),
        models: chosen.models,
        modules: chosen.modules,
        seed: r.seed,
        testSize: r.testSize,
        ...(r.splitFile !== undefined ? { splitFile: r.splitFile } : {}),
        ...(r.cv !== undefined ? { cv: r.cv } : {}),
        ...(r.foldsFile !== undefined ? { foldsFile: r.foldsFile } : {}),
        tune: r.tune,
        ...(r.preprocess !== undefined ? { preprocess: r.preprocess } : {}),
        ...(r.resultsDir !== undefined ? { resultsDir: resolve(r.resultsDir) } : {}),
        backend: r.backend,
        ...(how.output ? { output: how.output } : {}),
        ...(sink.onEvent ? { onEvent: sink.onEvent } : {}),
        ...(r.sortBy ? { sortBy: r.sortBy } : {}),
        ...(r.columns ? { columns: r.columns } : {}),
        ...(how.resume ? { resume: how.resume } : {}),
        ...(r.budget ? { budget: { ...r.budget, startedAt } } : {}),
      },
      executor,
      signal,
    );
    sink.rethrow();
    return outcome;
  } finally {
    if (!how.executor) await executor.close();
  }
}

/**
 * Trains every chosen model on the data set(s) through the worker pool and returns the report:
 * one for a data set, a list for a list. Results are written only when `resultsDir` is given.
 * Bad options or data throw a UsageError whose message is one line naming the problem; a model
 * that fails is a row of the report, not an exception.
 */
export async function train(
  options: TrainOptions & { dataset: readonly (DataSource | LoadedData)[] },
): Promise<Report[]>;
export async function train(options?: TrainOptions): Promise<Report>;
export async function train(options: TrainOptions = {}): Promise<Report | Report[]> {
  const { runs } = await runTrain(options);
  const reports = runs.map((r) => r.report);
  return Array.isArray(options.dataset) ? reports : reports[0]!;
}

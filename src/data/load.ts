// Turns `--dataset` arguments into loaded data sets. Several are read concurrently: small files on
// this thread with async I/O, large ones each on a thread of its own, so that their parsing runs
// in parallel too. A loader thread hands back its data on SharedArrayBuffers: nothing is copied.
import { existsSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { projectRoot } from '../paths.js';
import type { CsvOptions, CsvTable } from './csv.js';
import type { FetchInfo } from './fetch.js';
import { checkScheme, shownUrl } from './url.js';
import type { ReadTable, RemoteOptions } from './remote.js';
import type { Dataset } from './dataset.js';
import { IRIS_FEATURES, loadIris } from './iris.js';
import type { DatasetEncoding } from './table.js';

export const BUILTIN_DATASETS = ['iris'];

export interface DatasetSpec {
  /** The argument as given. */
  arg: string;
  /** A URL to fetch (credentials kept: they are sent, never shown); `file` is its shown form. */
  url?: URL;
  /** A sha256 pinned with #sha256=<hex> on the URL or --sha256, over the bytes as served. */
  sha256?: string;
  /** An OpenML data set id (openml:<id>). */
  openml?: number;
  /** The file to read, absolute; undefined for a built-in data set. */
  path?: string;
  /** How messages and reports name the file: as given, or datasets/<file> for a name. */
  file?: string;
  name: string;
}

export interface LoadedDataset {
  spec: DatasetSpec;
  dataset: Dataset;
  encoding: DatasetEncoding;
  droppedRows: number;
  /** The file's details (`inspect`); undefined for a built-in data set. */
  table?: ReadTable;
  readMs: number;
  /** How a download was fetched: absent for local data. */
  fetch?: FetchInfo;
}

/** Files from this size up are parsed on a thread of their own; smaller ones do not pay its start. */
export const THREAD_BYTES = 8 * 2 ** 20;

const datasetsDir = () => join(projectRoot, 'datasets');

const SHA256 = /^[0-9a-f]{64}$/;

/** A URL argument: http(s) only, an optional #sha256=<hex> pinning its bytes. */
function urlSpec(arg: string): DatasetSpec {
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    throw new UsageError(`--dataset ${arg}: not a valid URL`);
  }
  checkScheme(url, `--dataset ${shownUrl(url)}`);
  let sha256: string | undefined;
  const pin = /^#sha256=(.*)$/i.exec(url.hash);
  if (pin) {
    sha256 = pin[1]!.toLowerCase();
    if (!SHA256.test(sha256)) throw new UsageError(`--dataset ${shownUrl(url)}: #sha256= must be 64 hex digits`);
  }
  url.hash = '';
  const segments = url.pathname.split('/').filter(Boolean);
  const last = decodeURIComponent(segments[segments.length - 1] ?? url.hostname).replace(/\.gz$/i, '');
  return { arg, url, ...(sha256 ? { sha256 } : {}), file: shownUrl(url), name: nameOf(last) || url.hostname };
}

/**
 * `iris` is built in; `openml:<id>` is an OpenML data set; `http(s)://...` a download; a bare
 * name is looked up in datasets/ (with or without .csv); anything else is a path.
 */
export function resolveDatasetSpec(arg: string): DatasetSpec {
  if (BUILTIN_DATASETS.includes(arg)) return { arg, name: arg };
  const openml = /^openml:(.*)$/i.exec(arg);
  if (openml) {
    if (!/^\d+$/.test(openml[1]!) || Number(openml[1]) < 1)
      throw new UsageError(`--dataset ${arg}: an OpenML data set is openml:<id>, its number (e.g. openml:61 for iris)`);
    return { arg, openml: Number(openml[1]), file: `openml:${Number(openml[1])}`, name: `openml-${Number(openml[1])}` };
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(arg)) return urlSpec(arg);
  const bare = !arg.includes('/') && !arg.includes('\\');
  if (bare) {
    for (const candidate of [arg, `${arg}.csv`]) {
      const path = join(datasetsDir(), candidate);
      if (existsSync(path) && statSync(path).isFile())
        return { arg, path, file: `datasets/${candidate}`, name: nameOf(candidate) };
    }
  }
  const path = resolve(arg);
  if (bare && !existsSync(path)) {
    throw new UsageError(
      `--dataset ${arg}: no such data set; not built in (${BUILTIN_DATASETS.join(', ')}), not in datasets/ (as ${arg} or ${arg}.csv) and no such file`,
    );
  }
  return { arg, path, file: isAbsolute(arg) ? arg : relative(process.cwd(), path) || arg, name: nameOf(arg) };
}

function nameOf(file: string): string {
  const base = basename(file);
  return extname(base) ? base.slice(0, -extname(base).length) : base;
}

function loaderPath(): string {
  const path = join(projectRoot, 'dist/workers/csv-thread.js');
  if (!existsSync(path)) throw new Error(`loader not built: ${path} is missing; run \`node scripts/build.mjs\``);
  return path;
}

export interface LoaderRequest {
  path: string;
  file: string;
  name: string;
  options: CsvOptions;
}

export type LoaderReply = { ok: true; table: CsvTable } | { ok: false; usage: boolean; message: string };

/** Parses a file on a thread of its own; the table comes back on shared memory, not copied. */
function readCsvOnThread(request: LoaderRequest, signal?: AbortSignal): Promise<CsvTable> {
  return new Promise((done, fail) => {
    const worker = new Worker(loaderPath(), { workerData: request });
    // Another data set failed: its error is the answer, so stop parsing this one.
    signal?.addEventListener('abort', () => void worker.terminate(), { once: true });
    let replied = false;
    worker.once('message', (reply: LoaderReply) => {
      replied = true;
      if (reply.ok) done(reply.table);
      else fail(reply.usage ? new UsageError(reply.message) : new Error(reply.message));
    });
    worker.once('error', (error) => fail(error));
    worker.once('exit', (code) => {
      if (!replied) fail(new Error(`the loader thread for ${request.file} exited (code ${code}) without a result`));
    });
  });
}

function builtin(spec: DatasetSpec): LoadedDataset {
  const started = performance.now();
  const dataset = loadIris();
  return {
    spec,
    dataset,
    encoding: { label: 'label', columns: IRIS_FEATURES.map((name) => ({ name, type: 'number' as const })) },
    droppedRows: 0,
    readMs: performance.now() - started,
  };
}

/** A download or an OpenML data set, through the cache. */
async function loadRemote(
  spec: DatasetSpec,
  options: CsvOptions,
  remote: RemoteOptions | undefined,
): Promise<LoadedDataset> {
  if (!remote) throw new Error(`loadDataset: ${spec.file} needs the download options`);
  const started = performance.now();
  const { fetchOpenml, fetchUrl } = await import('./remote.js');
  const fetched = spec.openml
    ? await fetchOpenml(spec.openml, options, remote)
    : await fetchUrl(spec.url!, spec.sha256 ?? remote.sha256, spec.name, options, remote);
  const { table } = fetched;
  return {
    spec: { ...spec, name: fetched.name },
    dataset: table.dataset,
    encoding: table.encoding,
    droppedRows: table.droppedRows,
    table,
    readMs: performance.now() - started,
    fetch: fetched.fetch,
  };
}

/** A local ARFF or JSON file: the same readers as a download's. */
async function readOtherFormat(
  spec: DatasetSpec,
  options: CsvOptions,
  remote: RemoteOptions | undefined,
): Promise<ReadTable> {
  const [{ openRegularFile }, { fileSource }, { readAnyFormat }] = await Promise.all([
    import('./files.js'),
    import('./bytes.js'),
    import('./remote.js'),
  ]);
  const { handle, stats } = await openRegularFile(spec.path!, spec.file!);
  try {
    return await readAnyFormat(fileSource(handle, stats.size, stats.mtimeMs, spec.file!), spec.file!, spec.name, {
      ...options,
      ...(remote?.records !== undefined ? { records: remote.records } : {}),
    });
  } finally {
    await handle.close();
  }
}

/** A CSV file, parsed on a thread of its own when it is large (or `thread` says so). */
async function readCsvFile(
  path: string,
  spec: DatasetSpec,
  options: CsvOptions,
  thread: 'auto' | 'never' | 'always',
  signal?: AbortSignal,
) {
  const request: LoaderRequest = { path, file: spec.file!, name: spec.name, options };
  let size = 0;
  try {
    size = statSync(request.path).size;
  } catch {
    // readCsv says what is wrong with the path.
  }
  return thread === 'always' || (thread === 'auto' && size >= THREAD_BYTES)
    ? readCsvOnThread(request, signal)
    : // Loaded on demand: a run on the built-in data set does not pay for csv-parse.
      (await import('./csv.js')).readCsv(request.path, request.file, request.name, options);
}

/** Loads one data set; `thread` decides whether a file is parsed off this thread. */
export async function loadDataset(
  spec: DatasetSpec,
  options: CsvOptions,
  thread: 'auto' | 'never' | 'always' = 'auto',
  signal?: AbortSignal,
  remote?: RemoteOptions,
): Promise<LoadedDataset> {
  if (spec.url || spec.openml) return loadRemote(spec, options, remote);
  if (!spec.path) return builtin(spec);
  const started = performance.now();
  const table = /\.(arff|json)$/i.test(spec.path)
    ? await readOtherFormat(spec, options, remote)
    : await readCsvFile(spec.path, spec, options, thread, signal);
  return {
    spec,
    dataset: table.dataset,
    encoding: table.encoding,
    droppedRows: table.droppedRows,
    table,
    readMs: performance.now() - started,
  };
}

const optionsAt = (options: CsvOptions | readonly CsvOptions[], i: number): CsvOptions =>
  Array.isArray(options) ? (options as readonly CsvOptions[])[i]! : (options as CsvOptions);

/**
 * Loads every data set at once; the first bad one rejects with its error. With `auto`, each large
 * file but the largest is parsed on a thread of its own while this thread, whose code is already
 * compiled, parses the largest: a lone file gains nothing from a thread but its start-up cost.
 * `options` are every file's, or each one's (a config file gives them per data set).
 */
export function loadDatasets(
  specs: readonly DatasetSpec[],
  options: CsvOptions | readonly CsvOptions[],
  thread: 'auto' | 'never' | 'always' = 'auto',
  remote?: RemoteOptions,
): Promise<LoadedDataset[]> {
  const abort = new AbortController();
  // Downloads run at most remote.concurrency at a time; local files are not held back by them.
  const slots = limiter(remote?.concurrency ?? 1);
  const fetches = remote
    ? { ...remote, signal: remote.signal ? anySignal(remote.signal, abort.signal) : abort.signal }
    : undefined;
  const sizes = specs.map((spec) => {
    try {
      return spec.path ? statSync(spec.path).size : 0;
    } catch {
      return 0;
    }
  });
  const largest = sizes.indexOf(Math.max(...sizes));
  const mode = (i: number) =>
    thread !== 'auto' ? thread : i !== largest && sizes[i]! >= THREAD_BYTES ? 'always' : 'never';
  return Promise.all(
    specs.map((spec, i) =>
      (spec.url || spec.openml
        ? slots(() => loadDataset(spec, optionsAt(options, i), mode(i), abort.signal, fetches))
        : loadDataset(spec, optionsAt(options, i), mode(i), abort.signal, fetches)
      ).catch((error: unknown) => {
        abort.abort();
        throw error;
      }),
    ),
  );
}

/** Runs at most `n` of the given jobs at once (downloads; tasks are the Scheduler's to cap). */
function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (running >= n) await new Promise<void>((go) => waiting.push(go));
    running += 1;
    try {
      return await job();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** A signal that aborts when either does (AbortSignal.any keeps both alive on Node 20). */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const stop = (signal: AbortSignal) => () => controller.abort(signal.reason);
  for (const s of [a, b]) {
    if (s.aborted) controller.abort(s.reason);
    else s.addEventListener('abort', stop(s), { once: true });
  }
  return controller.signal;
}

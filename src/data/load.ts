// Turns `--dataset` arguments into loaded data sets. Several are read concurrently: small files on
// this thread with async I/O, large ones each on a thread of its own, so that their parsing runs
// in parallel too. A loader thread hands back its data on SharedArrayBuffers: nothing is copied.
import { existsSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { projectRoot } from '../paths.js';
import type { CsvOptions, CsvTable } from './csv.js';
import type { Dataset } from './dataset.js';
import { IRIS_FEATURES, loadIris } from './iris.js';
import type { DatasetEncoding } from './table.js';

export const BUILTIN_DATASETS = ['iris'];

export interface DatasetSpec {
  /** The argument as given. */
  arg: string;
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
  /** The CSV details (`inspect`); undefined for a built-in data set. */
  table?: CsvTable;
  readMs: number;
}

/** Files from this size up are parsed on a thread of their own; smaller ones do not pay its start. */
export const THREAD_BYTES = 8 * 2 ** 20;

const datasetsDir = () => join(projectRoot, 'datasets');

/** `iris` is built in; a bare name is looked up in datasets/ (with or without .csv); else a path. */
export function resolveDatasetSpec(arg: string): DatasetSpec {
  if (BUILTIN_DATASETS.includes(arg)) return { arg, name: arg };
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

/** Loads one data set; `thread` decides whether a file is parsed off this thread. */
export async function loadDataset(
  spec: DatasetSpec,
  options: CsvOptions,
  thread: 'auto' | 'never' | 'always' = 'auto',
  signal?: AbortSignal,
): Promise<LoadedDataset> {
  if (!spec.path) return builtin(spec);
  const started = performance.now();
  const request: LoaderRequest = { path: spec.path, file: spec.file!, name: spec.name, options };
  let size = 0;
  try {
    size = statSync(spec.path).size;
  } catch {
    // readCsv says what is wrong with the path.
  }
  const table =
    thread === 'always' || (thread === 'auto' && size >= THREAD_BYTES)
      ? await readCsvOnThread(request, signal)
      : // Loaded on demand: a run on the built-in data set does not pay for csv-parse.
        await (await import('./csv.js')).readCsv(request.path, request.file, request.name, options);
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
): Promise<LoadedDataset[]> {
  const abort = new AbortController();
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
      loadDataset(spec, optionsAt(options, i), mode(i), abort.signal).catch((error: unknown) => {
        abort.abort();
        throw error;
      }),
    ),
  );
}

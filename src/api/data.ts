// Data sets as the API takes them: names, paths and CSV entries go through data/ exactly as on the
// command line; data in memory (`{ features, labels }`) is checked and converted once, on entry,
// into the same row-major Float64Array on shared memory a CSV file ends in, so that the worker
// threads read it in place and its sha256 is the one the same rows read from a CSV file would have.
import { describeValue, UsageError } from '../errors.js';
import { classCounts, hashDataset, sharedFloat64, sharedInt32, type Dataset } from '../data/dataset.js';
import type { CsvOptions } from '../data/csv.js';
import type { FetchEvent } from '../data/fetch.js';
import { BUILTIN_DATASETS, loadDatasets, resolveDatasetSpec, type LoadedDataset } from '../data/load.js';
import { remoteOptions, type SourceFlags } from '../data/sources.js';
import { shownUrl } from '../data/url.js';
import { sortNames, type DatasetEncoding } from '../data/table.js';
import type { DatasetSetting } from '../results/report.js';
import { checkSettings, naming, type DatasetFile } from './settings.js';

/** Rows in memory: each row's features and its label. */
export interface InMemoryData {
  /** One array per row, or every row's features one after the other (row-major, rows x cols). */
  features: readonly (readonly number[])[] | Float64Array;
  /** The row count; with a flat Float64Array, `rows` or `cols` says its shape. */
  rows?: number;
  cols?: number;
  /** The class of each row, as names or numbers; or, with `classNames`, as indices into it. */
  labels: ArrayLike<string | number>;
  classNames?: readonly string[];
  /** Default: x0, x1, ... */
  featureNames?: readonly string[];
  /** How reports name the data set (default "data"). */
  name?: string;
}

/** A data set as `train` and `loadDataset` take it. */
export type DataSource = string | DatasetFile | InMemoryData;

export interface CsvReadOptions {
  /** The label column of a CSV file (default: the last column). */
  label?: string;
  delimiter?: string;
  /** Rows with a missing value: an error (the default), or dropped. */
  missing?: 'error' | 'drop';
}

/**
 * A loaded data set: validated, its classes indexed, its features one row-major Float64Array on
 * shared memory. It is itself data in memory: pass it to `train` and nothing is read again.
 */
export interface LoadedData {
  name: string;
  /** Where it came from: a package name, a file path, or "memory". */
  source: string;
  /** The file as named, for one read from a file. */
  file?: string;
  rows: number;
  cols: number;
  featureNames: string[];
  classNames: string[];
  /** Row-major: feature j of row i is `features[i * cols + j]`. */
  features: Float64Array;
  /** Class index per row (into classNames). */
  labels: Int32Array;
  /** Rows per class, in class-index order. */
  classCounts: number[];
  /** sha256 of the parsed content (names, features, labels), as reports record it. */
  sha256: string;
  /** Rows dropped for a missing value (`missing: 'drop'`). */
  droppedRows: number;
  /** How each column became features, what `predict` re-applies to new rows. */
  encoding: DatasetEncoding;
}

/** A data set ready for a run, and how its settings name it (null: given in memory). */
export interface Source {
  loaded: LoadedDataset;
  setting: DatasetSetting | null;
}

/** What loadDataset handed out, so that train() takes it without reading it again. */
const handedOut = new WeakMap<object, Source>();

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isMemory = (value: unknown): value is InMemoryData => isObject(value) && 'features' in value;

function positiveInteger(value: unknown, key: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new UsageError(`"${key}" must be a whole number above 0, not ${describeValue(value)}`);
  return value;
}

/** Checks data given in memory and lays it out as a data set, copying its numbers once. */
export function fromMemory(data: InMemoryData, key = 'dataset'): LoadedDataset {
  const started = performance.now();
  const name = data.name ?? 'data';
  if (typeof name !== 'string' || name === '') throw new UsageError(`"${key}.name" must be a non-empty string`);
  let rows = positiveInteger(data.rows, `${key}.rows`);
  let cols = positiveInteger(data.cols, `${key}.cols`);
  const given = data.features as unknown;
  let features: Float64Array;
  if (given instanceof Float64Array) {
    if (rows === undefined && cols === undefined)
      throw new UsageError(
        `"${key}.features" is a flat Float64Array: give "cols" (or "rows") to say its shape, rows x cols, row-major`,
      );
    rows ??= given.length / cols!;
    cols ??= given.length / rows;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows * cols !== given.length)
      throw new UsageError(
        `"${key}.features" holds ${given.length} numbers, which is not rows x cols (${data.rows ?? '?'} x ${data.cols ?? '?'})`,
      );
    // Workers read the features in place from the start of a SharedArrayBuffer: anything else is copied.
    features =
      given.buffer instanceof SharedArrayBuffer && given.byteOffset === 0 ? given : sharedFloat64(given.length);
    if (features !== given) features.set(given);
    for (let i = 0; i < features.length; i++)
      if (!Number.isFinite(features[i]!))
        throw new UsageError(
          `"${key}.features" row ${Math.floor(i / cols)}, column ${i % cols} is ${features[i]}; data in memory may not hold missing or infinite values`,
        );
  } else if (Array.isArray(given)) {
    if (given.length === 0) throw new UsageError(`"${key}.features" has no rows`);
    const first = given[0] as unknown;
    if (!Array.isArray(first))
      throw new UsageError(
        `"${key}.features" must be number[][] (one array per row) or a Float64Array, not an array of ${describeValue(first)}s`,
      );
    cols ??= first.length;
    if (rows !== undefined && rows !== given.length)
      throw new UsageError(`"${key}.rows" is ${rows} but "${key}.features" has ${given.length} rows`);
    rows = given.length;
    if (cols === 0) throw new UsageError(`"${key}.features" rows have no values`);
    features = sharedFloat64(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = given[i] as unknown;
      if (!Array.isArray(row) || row.length !== cols)
        throw new UsageError(
          `"${key}.features[${i}]" ${Array.isArray(row) ? `has ${row.length} values` : `is ${describeValue(row)}`}; every row has ${cols} (as row 0 does)`,
        );
      for (let j = 0; j < cols; j++) {
        const v = row[j] as unknown;
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new UsageError(
            `"${key}.features[${i}][${j}]" is ${typeof v === 'number' ? v : describeValue(v)}; features must be finite numbers (data in memory may not hold missing values)`,
          );
        features[i * cols + j] = v;
      }
    }
  } else {
    throw new UsageError(
      `"${key}.features" must be number[][] (one array per row) or a row-major Float64Array, not ${describeValue(given)}`,
    );
  }

  const featureNames = data.featureNames ? [...data.featureNames] : Array.from({ length: cols! }, (_, j) => `x${j}`);
  if (featureNames.length !== cols || featureNames.some((n) => typeof n !== 'string' || n === ''))
    throw new UsageError(`"${key}.featureNames" must be ${cols} non-empty strings, one per feature`);
  if (new Set(featureNames).size !== featureNames.length)
    throw new UsageError(`"${key}.featureNames" names a feature twice; every name must be unique`);

  const labelsGiven = data.labels as unknown;
  if (
    labelsGiven === null ||
    typeof labelsGiven !== 'object' ||
    typeof (labelsGiven as ArrayLike<unknown>).length !== 'number'
  )
    throw new UsageError(`"${key}.labels" must be an array with one label per row`);
  const raw = labelsGiven as ArrayLike<unknown>;
  if (raw.length !== rows)
    throw new UsageError(`"${key}.labels" has ${raw.length} labels for ${rows} rows; give one per row`);
  const labels = sharedInt32(rows);
  let classNames: string[];
  if (data.classNames !== undefined) {
    classNames = [...data.classNames];
    for (let i = 0; i < rows; i++) {
      const v = raw[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= classNames.length)
        throw new UsageError(
          `"${key}.labels[${i}]" is ${describeValue(v)}; with "classNames", labels are class indices 0..${classNames.length - 1}`,
        );
      labels[i] = v;
    }
  } else {
    const names: string[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      const v = raw[i];
      if (!(typeof v === 'string' && v !== '') && !(typeof v === 'number' && Number.isFinite(v)))
        throw new UsageError(`"${key}.labels[${i}]" is ${describeValue(v)}; a label is a non-empty string or a number`);
      names[i] = String(v);
    }
    // Sorted as a CSV file's labels are, so that the same rows get the same class indices.
    classNames = sortNames([...new Set(names)]);
    const index = new Map(classNames.map((n, c) => [n, c]));
    for (let i = 0; i < rows; i++) labels[i] = index.get(names[i]!)!;
  }
  if (classNames.length < 2)
    throw new UsageError(
      `"${key}.labels" hold ${classNames.length} class${classNames.length === 1 ? '' : 'es'}; classification needs at least two`,
    );

  const parts = { featureNames, classNames, features, labels };
  const dataset: Dataset = { name, source: 'memory', rows, cols: cols!, ...parts, sha256: hashDataset(parts) };
  const encoding: DatasetEncoding = { label: 'label', columns: featureNames.map((n) => ({ name: n, type: 'number' })) };
  return { spec: { arg: name, name }, dataset, encoding, droppedRows: 0, readMs: performance.now() - started };
}

/**
 * How settings name a data set read from a file, a URL or built in: absolute, with its CSV
 * options. A URL never with the credentials it may carry (settings are written to disk), and with
 * the sha256 it was pinned to.
 */
function settingOf(loaded: LoadedDataset, csv: CsvOptions): DatasetSetting {
  const { spec } = loaded;
  if ((BUILTIN_DATASETS.includes(spec.arg) && spec.path === undefined) || spec.openml !== undefined) return spec.arg;
  const url = spec.url ? `${shownUrl(spec.url)}${spec.sha256 ? `#sha256=${spec.sha256}` : ''}` : undefined;
  return {
    path: url ?? spec.path ?? spec.arg,
    ...(csv.label !== undefined ? { label: csv.label } : {}),
    ...(csv.delimiter !== undefined ? { delimiter: csv.delimiter } : {}),
    missing: csv.missing === 'drop' ? 'drop' : 'error',
  };
}

/** How downloads are fetched: the download settings, who hears their progress, what stops them. */
export interface Fetching {
  flags: SourceFlags;
  onEvent?: (event: FetchEvent) => void;
  signal?: AbortSignal;
}

/**
 * Every data set of a run, in order: files are read and URLs fetched concurrently (data/load.ts),
 * data in memory is converted, and what loadDataset returned is used as it is. `defaults` are the
 * CSV options of entries that give none of their own.
 */
export async function loadSources(
  sources: readonly (DatasetSetting | InMemoryData | LoadedData)[],
  defaults: { label?: string; delimiter?: string; missing: 'error' | 'drop'; maxCategories?: number },
  key = 'dataset',
  fetching?: Fetching,
): Promise<Source[]> {
  const out: (Source | undefined)[] = new Array(sources.length);
  const files: { at: number; arg: string; csv: CsvOptions }[] = [];
  sources.forEach((source, at) => {
    const where = sources.length > 1 ? `${key}[${at}]` : key;
    const known = isObject(source) ? handedOut.get(source) : undefined;
    if (known) out[at] = known;
    else if (isMemory(source)) out[at] = { loaded: fromMemory(source, where), setting: null };
    else if (typeof source === 'string') files.push({ at, arg: source, csv: { ...defaults } });
    else if (isObject(source) && typeof source['path'] === 'string') {
      const entry = source as DatasetFile;
      const csv: CsvOptions = {
        missing: entry.missing ?? defaults.missing,
        ...(defaults.maxCategories !== undefined ? { maxCategories: defaults.maxCategories } : {}),
        ...((entry.label ?? defaults.label) !== undefined ? { label: (entry.label ?? defaults.label)! } : {}),
        ...((entry.delimiter ?? defaults.delimiter) !== undefined
          ? { delimiter: (entry.delimiter ?? defaults.delimiter)! }
          : {}),
      };
      files.push({ at, arg: entry.path, csv });
    } else
      throw new UsageError(
        `"${where}" must be a data set name or path, { path, label?, delimiter?, missing? }, or data in memory { features, labels }, not ${describeValue(source)}`,
      );
  });
  const specs = files.map((f) => resolveDatasetSpec(f.arg));
  const loaded = await loadDatasets(
    specs,
    files.map((f) => f.csv),
    'auto',
    fetching && remoteOptions(fetching.flags, specs, fetching.onEvent, fetching.signal),
  );
  loaded.forEach((l, i) => (out[files[i]!.at] = { loaded: l, setting: settingOf(l, files[i]!.csv) }));
  return out as Source[];
}

function publicData(source: Source): LoadedData {
  const { dataset, spec, encoding, droppedRows } = source.loaded;
  const data: LoadedData = {
    name: dataset.name,
    source: dataset.source,
    ...(spec.file ? { file: spec.file } : {}),
    rows: dataset.rows,
    cols: dataset.cols,
    featureNames: dataset.featureNames,
    classNames: dataset.classNames,
    features: dataset.features,
    labels: dataset.labels,
    classCounts: classCounts(dataset),
    sha256: dataset.sha256,
    droppedRows,
    encoding,
  };
  handedOut.set(data, source);
  return data;
}

/**
 * Reads and validates one data set: `iris`, a name in datasets/, a CSV path (relative to the
 * working directory), `{ path, label?, delimiter?, missing? }`, or data in memory. Bad input
 * throws a UsageError whose one-line message names the file, line and column.
 */
export async function loadDataset(source: DataSource, options: CsvReadOptions = {}): Promise<LoadedData> {
  const checked = checkSettings(
    {
      ...(options.label !== undefined ? { label: options.label } : {}),
      ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
      ...(options.missing !== undefined ? { missing: options.missing } : {}),
    },
    'loadDataset()',
  );
  const [found] = await naming('loadDataset()', () =>
    loadSources(
      [source as DatasetSetting | InMemoryData],
      {
        missing: checked.missing ?? 'error',
        ...(checked.label !== undefined ? { label: checked.label } : {}),
        ...(checked.delimiter !== undefined ? { delimiter: checked.delimiter } : {}),
      },
      'source',
    ),
  );
  return publicData(found!);
}

// What a run may be asked to do, as plain JSON: the keys of `train(options)`, of a
// trainpool.config.json and of a report's `settings` are the same, and `trainpool train`'s flags
// are their names in kebab case (`--test-size` sets `testSize`). One zod schema checks all three,
// so a bad value is one line naming its key wherever it comes from; `resolveSettings` fills in the
// defaults in one place.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { MAX_CATEGORIES } from '../data/table.js';
import { DEFAULT_SOURCES, type SourceFlags } from '../data/sources.js';
import { UsageError } from '../errors.js';
import { parseMeasure } from '../format/columns.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { Preprocessing } from '../ml/estimator.js';
import type { DatasetSetting, MeasureSpec } from '../results/report.js';

/** Delimiters that may be given by name (`--delimiter tab`). */
export const DELIMITER_NAMES: Readonly<Record<string, string>> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t' };

const whole = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};
const text = (what: string) => z.string({ error: `must be ${what}` }).min(1, `must be ${what}`);
const bool = z.boolean({ error: 'must be true or false' });
const delimiter = z.string({ error: 'must be one character, or comma, semicolon or tab' }).transform((value, ctx) => {
  const d = DELIMITER_NAMES[value] ?? value;
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    ctx.addIssue({
      code: 'custom',
      message: 'must be one character (or comma, semicolon, tab), not a quote or line break',
    });
    return z.NEVER;
  }
  return d;
});
const missing = z.enum(['error', 'drop'], { error: 'must be "error" or "drop"' });

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * A duration in milliseconds: seconds (`90`, `2.5`) or amounts with units, run together (`90s`,
 * `15m`, `1h30m`, `500ms`); undefined when the text is neither.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(amount) * UNIT_MS[unit!]!;
  return ms;
}

/** A duration as settings give it: seconds, or text such as "90s", "15m", "1h30m"; checked, and kept as given. */
const duration = (zero: boolean) => {
  const message = `must be a duration ${zero ? 'of 0 or more' : 'above 0'}, in seconds or as text such as "90s", "15m" or "1h30m", at most a week`;
  return z.union([z.number(), z.string()], { error: message }).refine((value) => {
    const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
    return ms !== undefined && (ms > 0 || (zero && ms === 0)) && ms <= WEEK_MS;
  }, message);
};
const durationMs = (value: number | string) => (typeof value === 'number' ? value * 1000 : parseDuration(value)!);

/** A metric as users name it (`auc`, `cv.logLoss`, `fit`): checked, and kept as given. */
const measure = z
  .string({ error: 'must be a metric name such as "accuracy", "auc" or "cv.logLoss"' })
  .superRefine((value, ctx) => {
    const parsed = parseMeasure(value);
    if (typeof parsed === 'string')
      ctx.addIssue({ code: 'custom', message: parsed.replace(/^no such metric; choose /, 'must be ') });
  });
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/;
const header = z
  .string({ error: 'must be "Name: value", e.g. "Authorization: Bearer ..."' })
  .regex(HEADER, 'must be "Name: value", e.g. "Authorization: Bearer ..."');
const json: z.ZodType<JsonValue, JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);
const jsonObject = z.record(z.string(), json, { error: 'must be an object of parameter values' });

const datasetFile = {
  path: text('the path (or URL) of a CSV file'),
  label: text('a column name').optional(),
  delimiter: delimiter.optional(),
  missing: missing.optional(),
};

const datasetEntry = z.union(
  [
    text('a data set name, a path or a URL'),
    z.strictObject(datasetFile, {
      error: 'must be a data set name, a path, or { path, label?, delimiter?, missing? }',
    }),
  ],
  { error: 'must be a data set name, a path, or { path, label?, delimiter?, missing? }' },
);

export const settingsSchema = z.strictObject({
  dataset: z.union([datasetEntry, z.array(datasetEntry).min(1, 'must name at least one data set')]).optional(),
  label: text('a column name').optional(),
  delimiter: delimiter.optional(),
  missing: missing.optional(),
  models: z.array(text('a model id'), { error: 'must be a list of model ids' }).optional(),
  modelModule: z
    .union([text('a path'), z.array(text('a path'))], { error: 'must be a path or a list of paths' })
    .optional(),
  params: z.record(z.string(), jsonObject, { error: 'must be { "<model id>": { <param>: <value> } }' }).optional(),
  grid: z
    .record(z.string(), z.record(z.string(), z.array(json).min(1, 'must list at least one value')), {
      error: 'must be { "<model id>": { <param>: [<values>] } }',
    })
    .optional(),
  maxCategories: whole(1, 10_000_000).optional(),
  records: text('the dotted path of the records in a JSON download, e.g. data.items').optional(),
  header: z.union([header, z.array(header)], { error: 'must be "Name: value" or a list of them' }).optional(),
  sha256: z
    .string({ error: 'must be 64 hex digits' })
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits')
    .optional(),
  fetchConcurrency: whole(1, 64).optional(),
  offline: bool.optional(),
  refresh: bool.optional(),
  fetchTimeout: z
    .number({ error: 'must be a number of seconds above 0, such as 30 or 0.5' })
    .gt(0, 'must be a number of seconds above 0, such as 30 or 0.5')
    .max(7 * 24 * 3600, 'must be at most a week (604800 seconds)')
    .optional(),
  fetchRetries: whole(0, 20).optional(),
  maxDownloadMb: whole(1, 1024 * 1024).optional(),
  seed: whole(0, 2 ** 31 - 1).optional(),
  testSize: z
    .number({ error: 'must be a number from 0 up to (not including) 1' })
    .min(0, 'must be a number from 0 up to (not including) 1')
    .lt(1, 'must be a number from 0 up to (not including) 1')
    .optional(),
  splitFile: text('a path').optional(),
  cv: z.union([bool, whole(2, 100)], { error: 'must be true, false or a number of folds from 2 to 100' }).optional(),
  foldsFile: text('a path').optional(),
  tune: bool.optional(),
  preprocess: z
    .enum(['standardize', 'minmax', 'none'], { error: 'must be "standardize", "minmax" or "none"' })
    .optional(),
  threads: whole(1, 1024).optional(),
  timeout: z
    .number({ error: 'must be a number of seconds above 0, such as 30 or 0.5' })
    .gt(0, 'must be a number of seconds above 0, such as 30 or 0.5')
    .max(7 * 24 * 3600, 'must be at most a week (604800 seconds)')
    .optional(),
  maxMemoryMb: whole(16, 1024 * 1024).optional(),
  retries: whole(0, 100).optional(),
  backend: z.enum(['piscina', 'bullmq'], { error: 'must be "piscina" or "bullmq"' }).optional(),
  redis: text('a Redis URL such as redis://127.0.0.1:6379').optional(),
  budget: duration(false).optional(),
  budgetGrace: duration(true).optional(),
  sortBy: measure.optional(),
  columns: z.union([measure, z.array(measure)], { error: 'must be a metric name or a list of them' }).optional(),
  resultsDir: text('a path').optional(),
});

/** A CSV file with options of its own, as a `dataset` entry. */
export interface DatasetFile {
  /** The file's path (relative paths: to the working directory, or in a config file to its folder). */
  path: string;
  /** The column holding the class (default: the last column). */
  label?: string;
  /** One character, or comma, semicolon, tab (default: detected). */
  delimiter?: string;
  /** Rows with a missing value: an error (the default), or dropped. */
  missing?: 'error' | 'drop';
}

/**
 * The JSON part of a run's options: what a trainpool.config.json holds, and what `train()` takes
 * beside data and models in memory. Each key is a flag of `trainpool train` (`testSize` is
 * `--test-size`); the defaults are the flags' defaults.
 */
export interface TrainSettings {
  /** `iris` (built in, the default), a name in datasets/, a CSV path or URL, or a file with its own options; or several. */
  dataset?: string | DatasetFile | (string | DatasetFile)[];
  /** The CSV column holding the class, for every file that does not say (default: the last column). */
  label?: string;
  /** The CSV delimiter, for every file that does not say: one character, or comma, semicolon, tab. */
  delimiter?: string;
  /** Missing values (empty, NaN, nan cells): "error" (the default) or "drop" their rows. */
  missing?: 'error' | 'drop';
  /** Most distinct values a text column may have; one-hot encoding makes a feature of each (default 1000). */
  maxCategories?: number;
  /** JSON downloads: the dotted path of the array of records in the response, e.g. `data.items`. */
  records?: string;
  /** HTTP headers sent with each download, `"Name: value"` (e.g. an API key); never written anywhere. */
  header?: string | string[];
  /** The download's expected sha256 (of the bytes as served), for a run of one URL. */
  sha256?: string;
  /** Most downloads at once (default 4). */
  fetchConcurrency?: number;
  /** Use only the download cache: a URL not in it is an error. */
  offline?: boolean;
  /** Download again even when the cache holds the URL. */
  refresh?: boolean;
  /** Seconds a download may go without data before the try is given up (default 30). */
  fetchTimeout?: number;
  /** Tries after the first on network errors, timeouts, 408, 429 and 5xx (default 3). */
  fetchRetries?: number;
  /** Largest download, in MB, as served or once decompressed (default 1024). */
  maxDownloadMb?: number;
  /** Model ids to train (default: every model of the default set). */
  models?: string[];
  /** ES modules (.js, .mjs, .ts) whose definitions are registered beside the built-in models. */
  modelModule?: string | string[];
  /** Params per model id, over the definition's defaults, e.g. `{ "svm": { "C": 10 } }`. */
  params?: Record<string, JsonObject>;
  /** Grids per model id for `tune`, in place of the definition's own, e.g. `{ "knn": { "k": [1, 5, 15] } }`. */
  grid?: Record<string, Record<string, JsonValue[]>>;
  /** Seed of the split, the folds and every model (default 42). */
  seed?: number;
  /** Share of rows held out for testing, stratified by class (default 0.2; 0 trains on everything). */
  testSize?: number;
  /** A JSON file `{"train": [...], "test": [...]}` of 0-based row indices, instead of `testSize`. */
  splitFile?: string;
  /** Stratified k-fold cross-validation on the training part: true (5 folds) or k. */
  cv?: boolean | number;
  /** A JSON file `{"testFolds": [[...], ...]}` of row indices within the training part. */
  foldsFile?: string;
  /** Score every candidate of each model's grid by CV and refit the best (implies 5 folds). */
  tune?: boolean;
  /** Every model's feature scaling, instead of each definition's own. */
  preprocess?: Preprocessing;
  /** Worker threads (default: the machine's available parallelism). */
  threads?: number;
  /** Seconds after which a task (one fit) is stopped and its worker replaced. */
  timeout?: number;
  /** Cap on each worker thread's JavaScript heap, in MiB. */
  maxMemoryMb?: number;
  /** Tries again for a task whose worker crashed, ran out of memory or timed out (default 0). */
  retries?: number;
  /** "piscina" (worker threads here, the default) or "bullmq" (`trainpool worker` processes on a Redis queue). */
  backend?: 'piscina' | 'bullmq';
  /** The Redis URL of the bullmq backend (default: REDIS_URL). */
  redis?: string;
  /** Time for the whole run, in seconds or as "90s", "15m", "1h30m": then no task starts, and what did not run is reported as not run. */
  budget?: number | string;
  /** How long tasks running when the budget ends may go on before they are stopped (default 5 s). */
  budgetGrace?: number | string;
  /** What the leaderboard sorts by: a metric (`auc`, `cv.logLoss`, ...) or `fit`/`predict` (default: CV accuracy with CV, else test accuracy). */
  sortBy?: string;
  /** The console leaderboard's columns, as `sortBy` names them. */
  columns?: string | string[];
  /** Where run folders are written; without one (in code) nothing is written. */
  resultsDir?: string;
}

// Fails to compile when the interface and the schema disagree about a key.
const schemaIsSettings: [TrainSettings] extends [z.input<typeof settingsSchema>]
  ? [z.input<typeof settingsSchema>] extends [TrainSettings]
    ? true
    : false
  : false = true;
void schemaIsSettings;

type Checked = z.output<typeof settingsSchema>;

const where = (path: readonly PropertyKey[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

const shownValue = (value: unknown) => {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

/** The most specific issue: inside a union, the branch that got furthest into the value. */
function deepest(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const branches = issue.errors.map((errors) => errors[0]).filter((e): e is z.core.$ZodIssue => e !== undefined);
  const inner = branches.filter((e) => e.path.length > 0 || e.code === 'unrecognized_keys');
  if (inner.length !== 1) return issue;
  const found = deepest(inner[0]!);
  return { ...found, path: [...issue.path, ...found.path] } as z.core.$ZodIssue;
}

/** One line for the first problem: `<source>: "<key>" <what it must be>, not <value>`. */
export function settingsProblem(source: string, error: z.ZodError): string {
  const issue = deepest(error.issues[0]!);
  if (issue.code === 'unrecognized_keys') {
    const at = where(issue.path);
    // The only objects with fixed keys are the settings themselves and a data set's file entry.
    const known = Object.keys(at ? datasetFile : settingsSchema.shape).join(', ');
    return `${source}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${at ? `${at}.` : ''}${k}"`).join(', ')}; known keys: ${known}`;
  }
  const input = (issue as { input?: unknown }).input;
  const value = input === undefined ? '' : `, not ${shownValue(input)}`;
  return `${source}: "${where(issue.path) || '(root)'}" ${issue.message}${value}`;
}

/** Checks the JSON options; a UsageError names the first bad key (`source` says whose keys they are). */
export function checkSettings(value: unknown, source: string): Checked {
  const parsed = settingsSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw new UsageError(settingsProblem(source, parsed.error));
  if (parsed.data.splitFile !== undefined && parsed.data.testSize !== undefined)
    throw new UsageError(
      `${source}: "splitFile" and "testSize" cannot both be given: the split file says which rows are tested`,
    );
  if (parsed.data.offline === true && parsed.data.refresh === true)
    throw new UsageError(
      `${source}: "offline" and "refresh" cannot both be given: one downloads nothing, the other everything`,
    );
  if (parsed.data.budgetGrace !== undefined && parsed.data.budget === undefined)
    throw new UsageError(`${source}: "budgetGrace" is the grace of "budget"; give "budget" too, or drop it`);
  return parsed.data;
}

/**
 * Runs `body`, saying whose keys its errors are about: a UsageError that names a key (`"models[0]":
 * ...`) gets the source in front (`train(): `, `trainpool.config.json: `).
 */
export async function naming<T>(source: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError && error.message.startsWith('"'))
      throw new UsageError(`${source}: ${error.message}`);
    throw error;
  }
}

/** The options with every default filled in, as a run uses them. */
export interface Resolved {
  dataset: DatasetSetting[];
  label?: string;
  delimiter?: string;
  missing: 'error' | 'drop';
  maxCategories: number;
  /** The download options (records, headers, cache, limits). */
  sources: SourceFlags;
  models?: string[];
  modelModule: string[];
  params: Record<string, JsonObject>;
  grid: Record<string, Record<string, JsonValue[]>>;
  seed: number;
  testSize: number;
  splitFile?: string;
  cv?: number | true;
  foldsFile?: string;
  tune: boolean;
  preprocess?: Preprocessing;
  threads: number;
  timeout?: number;
  maxMemoryMb?: number;
  retries: number;
  backend: 'piscina' | 'bullmq';
  redis?: string;
  /** The budget and its grace, in milliseconds. */
  budget?: { ms: number; graceMs: number };
  sortBy?: MeasureSpec;
  columns?: MeasureSpec[];
  resultsDir?: string;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function resolveSettings(s: Checked): Resolved {
  const optional = <K extends keyof Checked>(key: K) =>
    (s[key] === undefined ? {} : { [key]: s[key] }) as { [P in K]?: NonNullable<Checked[P]> };
  return {
    dataset: s.dataset === undefined ? ['iris'] : list(s.dataset),
    ...optional('label'),
    ...optional('delimiter'),
    missing: s.missing ?? 'error',
    maxCategories: s.maxCategories ?? MAX_CATEGORIES,
    sources: {
      ...DEFAULT_SOURCES,
      ...(s.records !== undefined ? { records: s.records } : {}),
      ...(s.header !== undefined ? { header: list(s.header) } : {}),
      ...(s.sha256 !== undefined ? { sha256: s.sha256.toLowerCase() } : {}),
      ...(s.fetchConcurrency !== undefined ? { fetchConcurrency: s.fetchConcurrency } : {}),
      ...(s.offline ? { offline: true } : {}),
      ...(s.refresh ? { refresh: true } : {}),
      ...(s.fetchTimeout !== undefined ? { fetchTimeout: s.fetchTimeout } : {}),
      ...(s.fetchRetries !== undefined ? { fetchRetries: s.fetchRetries } : {}),
      ...(s.maxDownloadMb !== undefined ? { maxDownloadMb: s.maxDownloadMb } : {}),
    },
    ...optional('models'),
    modelModule: list(s.modelModule),
    params: s.params ?? {},
    grid: s.grid ?? {},
    seed: s.seed ?? 42,
    testSize: s.testSize ?? 0.2,
    ...optional('splitFile'),
    ...(s.cv === undefined || s.cv === false ? {} : { cv: s.cv }),
    ...optional('foldsFile'),
    tune: s.tune === true,
    ...optional('preprocess'),
    threads: s.threads ?? availableParallelism(),
    ...optional('timeout'),
    ...optional('maxMemoryMb'),
    retries: s.retries ?? 0,
    backend: s.backend ?? 'piscina',
    ...optional('redis'),
    ...(s.budget === undefined
      ? {}
      : {
          budget: {
            ms: durationMs(s.budget),
            graceMs: s.budgetGrace === undefined ? 5_000 : durationMs(s.budgetGrace),
          },
        }),
    ...(s.sortBy !== undefined ? { sortBy: parseMeasure(s.sortBy) as MeasureSpec } : {}),
    ...(s.columns !== undefined ? { columns: list(s.columns).map((c) => parseMeasure(c) as MeasureSpec) } : {}),
    ...optional('resultsDir'),
  };
}

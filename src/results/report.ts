// results/: what a run leaves behind and everything that reads it back: the report's types
// (this file) and schema (schema.ts, with the upgrade of every older version), the one writer of
// run folders (write.ts), the one reader and run resolver (read.ts), saved models (saved-model.ts),
// and compare and history over many reports. May import ml/, models/ and data/; formatting is
// format/'s, and nothing here runs tasks.
import type { DatasetEncoding } from '../data/table.js';
import type { Library, Preprocessing } from '../ml/estimator.js';
import type { JsonObject, JsonValue } from '../json.js';
import {
  higherIsBetter,
  type DefinedMetricId,
  type MetricId,
  type Metrics,
  type NullableMetricId,
  type TimingId,
} from '../ml/metrics.js';
import type { Summary } from '../ml/stats.js';
import type { TaskFailure, TaskStop } from '../execution/protocol.js';

export const SCHEMA_VERSION = 6;

/** Cross-validated scores: each metric's mean, population std and per-fold values. */
export type CvScores = { k: number; fitMs: Summary } & Record<DefinedMetricId, Summary> &
  Record<NullableMetricId, Summary | null>;

/**
 * Class probabilities of some rows, compactly: `rows x classes` float64 values, row-major,
 * little-endian, as base64 (exact, and about a third of the size of the numbers as JSON text).
 */
export interface EncodedProbabilities {
  classes: number;
  base64: string;
}

export function encodeProbabilities(values: Float64Array, classes: number): EncodedProbabilities {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!, true);
  return { classes, base64: Buffer.from(view.buffer).toString('base64') };
}

export function decodeProbabilities(encoded: EncodedProbabilities): Float64Array {
  const bytes = Buffer.from(encoded.base64, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.byteLength >> 3);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/** What a leaderboard sorts by or a comparison compares: a metric on the test part, a CV mean, or a timing. */
export type Measure = { scope: 'test' | 'cv'; id: MetricId } | { scope: 'timing'; id: TimingId };

export const sameMeasure = (x: Measure, y: Measure) => x.scope === y.scope && x.id === y.id;

/** A measure as a user names it: a metric may leave its scope to the leaderboard's ('board'). */
export type MeasureSpec = Measure | { scope: 'board'; id: MetricId };

export function resolveMeasure(spec: MeasureSpec, board: 'test' | 'cv'): Measure {
  return spec.scope === 'board' ? { scope: board, id: spec.id } : spec;
}

/**
 * A model's value of a measure: undefined where there is none (not trained, no test part, no CV,
 * a metric the report predates), null where the model cannot have it.
 */
export function measureValue(m: ModelReport | undefined, measure: Measure): number | null | undefined {
  if (m?.status !== 'ok') return undefined;
  if (measure.scope === 'timing') return m.timings[measure.id];
  if (measure.scope === 'test') return m.metrics ? (m.metrics[measure.id] ?? null) : undefined;
  if (!m.cv) return undefined;
  const summary = m.cv[measure.id];
  return summary === undefined || summary === null ? null : summary.mean;
}

/** The default order: CV mean accuracy when the run has CV, else test accuracy. */
export function defaultSortBy(report: { cv?: object | null }): Measure {
  return { scope: report.cv ? 'cv' : 'test', id: 'accuracy' };
}

export interface Candidate {
  params: JsonObject;
  status: 'ok' | 'failed' | 'not-run';
  cv?: CvScores;
  error?: TaskFailure;
  reason?: TaskStop;
}

interface ModelReportBase {
  id: string;
  description: string;
  /** The library or engine that trained it; absent in reports from before it was recorded. */
  library?: Library;
  /** The params of the final fit: the defaults, or the winner of --tune. */
  params: JsonObject;
  preprocess: Preprocessing;
  cv?: CvScores;
  tuning?: { candidates: Candidate[]; best: number | null };
  /** The most tries any one of this model's tasks took, when --retries re-ran one (absent: one each). */
  attempts?: number;
  /** A baseline that learns nothing on purpose (the dummy): the leaderboard marks who does not beat it. */
  baseline?: true;
}

export interface OkModelReport extends ModelReportBase {
  status: 'ok';
  /** Scores on the held-out test part; absent when the test part is empty (--test-size 0). */
  metrics?: Metrics;
  /** Predicted class index per test row, in the order of split.test. */
  predictions: number[];
  /**
   * Class probabilities per test row, in the order of split.test; null for a model without
   * them; absent without a test part, or in a report written before they were recorded.
   */
  probabilities?: EncodedProbabilities | null;
  /**
   * With CV, the out-of-fold predictions of the params chosen, fold by fold in the order of
   * cv.testFolds (and probabilities, null for a model without them): curves and paired tests
   * need no re-run. Absent in reports written before they were recorded.
   */
  outOfFold?: { predictions: number[][]; probabilities: EncodedProbabilities[] | null };
  timings: { fitMs: number; predictMs: number };
  /** File of the saved final model, relative to the run folder. */
  modelFile?: string;
}

/** A model whose code or worker failed: `task` says which fit. */
export interface FailedModelReport extends ModelReportBase {
  status: 'failed';
  error: TaskFailure & { task: string };
}

/** A model the run stopped before it finished (interrupted, or out of time budget). */
export interface NotRunModelReport extends ModelReportBase {
  status: 'not-run';
  reason: TaskStop;
}

/** A download: where from (credentials stripped), when, its ETag, the bytes' sha256, cache or not. */
export interface DatasetFetch {
  url: string;
  fetchedAt: string;
  etag: string | null;
  /** sha256 of the bytes as served (before content decoding); `dataset.sha256` is of the content. */
  sha256: string;
  /** Whether this run read the cached copy (not modified on the server, just fetched by another run, or --offline). */
  cached: boolean;
}

export type ModelReport = OkModelReport | FailedModelReport | NotRunModelReport;

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  runId: string;
  createdAt: string;
  status: 'complete' | 'interrupted';
  dataset: {
    name: string;
    source: string;
    rows: number;
    features: number;
    featureNames: string[];
    classes: string[];
    classCounts: number[];
    sha256: string;
    /** The CSV file read, as named on the command line; absent for a built-in data set. */
    file?: string;
    /** The label column and how every other column became features: what predict re-applies. */
    encoding?: DatasetEncoding;
    /** Rows dropped for a missing value (--missing drop). */
    droppedRows?: number;
    /** How a downloaded data set was fetched; absent for local data and in reports before version 3. */
    fetch?: DatasetFetch;
    /** Class index of every row, in row order; absent in reports written before it was recorded. */
    labels?: number[];
  };
  split: {
    seed: number;
    testSize: number;
    stratified: boolean;
    /** The --split-file used, if any. */
    file?: string;
    train: number[];
    test: number[];
  };
  cv: { k: number; file?: string; testFolds: number[][] } | null;
  tune: boolean;
  threads: number;
  nodeVersion: string;
  versions: Record<string, string>;
  durationMs: number;
  /** What the leaderboard is sorted by; absent in older reports (they sort by the default). */
  sortBy?: Measure;
  /**
   * The time budget the run had (--budget), and whether it ran out before every task had started;
   * absent for a run without one.
   */
  budget?: { seconds: number; graceSeconds: number; ranOut: boolean };
  /**
   * How many times the run was resumed (--resume) and how many task results the last resume found
   * in its journal rather than computed; absent for a run never resumed.
   */
  resumed?: { times: number; tasksFromJournal: number };
  /** The run's resolved settings (absent in reports of version 5 and older). */
  settings?: RunSettings;
  models: ModelReport[];
}

/** A data set as settings name it: built in, a name in datasets/, a path or a URL; or a file with its CSV options. */
export type DatasetSetting =
  | string
  | { path: string; label?: string; delimiter?: string; missing?: 'error' | 'drop' };

/**
 * Everything a run was asked to do, resolved (defaults filled in, paths absolute): the same keys
 * as a trainpool.config.json, so that `trainpool train --from <run-id>` repeats the run from them.
 */
export type RunSettings = {
  /** null: the data was passed in memory (through the API) and cannot be read again from here. */
  dataset: DatasetSetting | null;
  /** The models trained, in order. */
  models: string[];
  /** The modules their definitions came from. */
  modelModule: string[];
  /** Params given per model id, over each definition's defaults (and no longer tuned). */
  params?: Record<string, JsonObject>;
  /** Grids given per model id, in place of each definition's own. */
  grid?: Record<string, Record<string, JsonValue[]>>;
  seed: number;
  /** Absent when the split came from a file. */
  testSize?: number;
  splitFile?: string;
  /** Folds of cross-validation, when there was any (absent with a folds file, which says). */
  cv?: number;
  foldsFile?: string;
  tune: boolean;
  preprocess?: Preprocessing;
  /** Most distinct values of a text column, when not the default. */
  maxCategories?: number;
  /** Where a JSON download's records are. */
  records?: string;
  threads: number;
  timeout?: number;
  maxMemoryMb?: number;
  retries: number;
  backend: 'piscina' | 'bullmq';
  /** The time budget and its grace, in seconds, when the run had one. */
  budget?: number;
  budgetGrace?: number;
};

/**
 * Leaderboard order: ok models by the report's sort measure (better first; one a model lacks
 * goes after those that have it), ties by test accuracy and then id; then failed, then not run.
 */
export function rankModels(report: Pick<Report, 'models'> & { cv?: object | null; sortBy?: Measure }): ModelReport[] {
  const by = report.sortBy ?? defaultSortBy(report);
  const sign = higherIsBetter(by.id) ? 1 : -1;
  const group = (m: ModelReport) => (m.status === 'ok' ? 0 : m.status === 'failed' ? 1 : 2);
  const score = (m: ModelReport) => {
    const v = measureValue(m, by);
    return typeof v === 'number' ? sign * v : -Infinity;
  };
  const test = (m: ModelReport) => (m.status === 'ok' ? (m.metrics?.accuracy ?? -1) : -1);
  // Ids are plain ASCII: compared by code unit, not localeCompare, whose first call loads ICU
  // collation data (~10 ms of every run) and whose order depends on the locale.
  const byId = (a: ModelReport, b: ModelReport) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const order = (a: number, b: number) => (a === b ? 0 : a > b ? -1 : 1);
  return [...report.models].sort(
    (a, b) => group(a) - group(b) || order(score(a), score(b)) || test(b) - test(a) || byId(a, b),
  );
}

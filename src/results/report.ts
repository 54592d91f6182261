// results/: what a run leaves behind and everything that reads it back: the report's types
// (this file) and schema (schema.ts, with the upgrade of every older version), the one writer of
// run folders (write.ts), the one reader and run resolver (read.ts), saved models (saved-model.ts),
// and compare and history over many reports. May import ml/, models/ and data/; formatting is
// format/'s, and nothing here runs tasks.
import type { DatasetEncoding } from '../data/table.js';
import type { Library, Preprocessing } from '../ml/estimator.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { LabelMetricId, Metrics, ProbabilityMetricId } from '../ml/metrics.js';
import type { Summary } from '../ml/stats.js';
import type { TaskFailure, TaskStop } from '../execution/protocol.js';

export const SCHEMA_VERSION = 3;

/** Cross-validated scores: each metric's mean, population std and per-fold values. */
export type CvScores = { k: number; fitMs: Summary } & Record<LabelMetricId, Summary> &
  Record<ProbabilityMetricId, Summary | null>;

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
}

export interface OkModelReport extends ModelReportBase {
  status: 'ok';
  /** Scores on the held-out test part; absent when the test part is empty (--test-size 0). */
  metrics?: Metrics;
  /** Predicted class index per test row, in the order of split.test. */
  predictions: number[];
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
  /** The run's resolved settings (absent in reports of version 2 and older). */
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
  /** Params given per model id, over each definition's defaults. */
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
  threads: number;
  timeout?: number;
  maxMemoryMb?: number;
  retries: number;
  backend: 'piscina' | 'bullmq';
};

/**
 * Leaderboard order: ok models by CV mean accuracy (or test accuracy without CV), best first;
 * then failed, then not run.
 */
export function rankModels(report: Pick<Report, 'models'>): ModelReport[] {
  const score = (m: ModelReport) =>
    m.status === 'ok' ? (m.cv?.accuracy?.mean ?? m.metrics?.accuracy ?? -1) : m.status === 'failed' ? -2 : -3;
  const test = (m: ModelReport) => (m.status === 'ok' ? (m.metrics?.accuracy ?? -1) : -1);
  // Ids are plain ASCII: compared by code unit, not localeCompare, whose first call loads ICU
  // collation data (~10 ms of every run) and whose order depends on the locale.
  const byId = (a: ModelReport, b: ModelReport) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...report.models].sort((a, b) => score(b) - score(a) || test(b) - test(a) || byId(a, b));
}

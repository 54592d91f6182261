// api/: trainpool used from code, `import { train } from 'trainpool'`: the package's one entry
// point (package.json `exports`; its types are generated from this file by tsc). The same code
// the `trainpool` command runs: commands/ parse flags and config files into these options and
// add only console output and exit statuses. This file exports the public names; train.ts runs a
// training, settings.ts checks options (and config files, and a report's settings), data.ts takes
// data sets (in memory too), models.ts chooses the models, progress.ts turns a run's events into
// the API's, model.ts loads a saved model, compare.ts compares two runs. May import every folder
// but commands/ and cli/. What a module imports here is kept light: a pool thread importing a
// user's model module that imports `defineModel` must not load the whole runner.
import type { CheckReport } from '../models/check.js';
import type { ModelDefinition } from '../ml/estimator.js';
import type { DefinitionInput } from '../models/adapter.js';
import type { Comparison } from '../results/compare.js';
import type { Report } from '../results/report.js';
import type { CompareOptions } from './compare.js';
import type { CsvReadOptions, DataSource, LoadedData } from './data.js';
import type { LoadedModel, LoadModelOptions } from './model.js';
import type { TrainOptions } from './train.js';

export { UsageError } from '../errors.js';
export { defineModel } from '../models/adapter.js';

/**
 * Trains every chosen model on the data set(s) through the worker pool and returns the report:
 * one for a data set, a list for a list. Results are written only when `resultsDir` is given.
 * Bad options or data throw a UsageError (one line naming the problem); a model that fails is a
 * row of the report with its reason, not an exception.
 */
export async function train(
  options: TrainOptions & { dataset: readonly (DataSource | LoadedData)[] },
): Promise<Report[]>;
export async function train(options?: TrainOptions): Promise<Report>;
export async function train(options: TrainOptions = {}): Promise<Report | Report[]> {
  return (await import('./train.js')).train(options);
}

/**
 * Reads and validates one data set: `iris`, a name in datasets/, a CSV path, `{ path, label?,
 * delimiter?, missing? }`, or data in memory. What it returns can be passed to `train` as is.
 */
export async function loadDataset(source: DataSource, options?: CsvReadOptions): Promise<LoadedData> {
  return (await import('./data.js')).loadDataset(source, options);
}

/** Compares run B with run A: reports, or run references as `trainpool compare` takes them. */
export async function compareRuns(
  a: string | Report,
  b: string | Report,
  options?: CompareOptions,
): Promise<Comparison> {
  return (await import('./compare.js')).compareRuns(a, b, options);
}

/** A saved model (`results/<run-id>/models/<id>.json`, or a run reference and `{ model }`), ready to predict. */
export async function loadModel(path: string, options?: LoadModelOptions): Promise<LoadedModel> {
  return (await import('./model.js')).loadModel(path, options);
}

/**
 * Runs the conformance checks on a model definition (fit and predict shapes, determinism for a
 * seed, two classes, its JSON round trip, probabilities as declared, params and cost): each
 * failed one says what went wrong and how to fix it.
 */
export async function checkModel(definition: DefinitionInput): Promise<CheckReport> {
  // The checks never read `library`, which a definition written outside this package may leave out.
  return (await import('../models/check.js')).checkModel(definition as ModelDefinition);
}

export type { CheckFailure, CheckReport } from '../models/check.js';
export type { DefinitionInput } from '../models/adapter.js';
export type { DatasetEncoding, ColumnEncoding } from '../data/table.js';
export type {
  Estimator,
  Library,
  ModelContext,
  ModelDefinition,
  Preprocessing,
  RowEstimator,
  RowModelDefinition,
  Shape,
} from '../ml/estimator.js';
export type { Matrix } from '../ml/matrix.js';
export type { Metrics } from '../ml/metrics.js';
export type { Summary } from '../ml/stats.js';
export type { JsonObject, JsonValue } from '../json.js';
export type { Comparison, MetricDelta, ModelComparison, SettingDiff } from '../results/compare.js';
export type {
  Candidate,
  CvScores,
  DatasetSetting,
  FailedModelReport,
  ModelReport,
  NotRunModelReport,
  OkModelReport,
  Report,
  RunSettings,
} from '../results/report.js';
export type { TaskFailure, TaskStop } from '../execution/protocol.js';
export type { CompareOptions } from './compare.js';
export type { CsvReadOptions, DataSource, InMemoryData, LoadedData } from './data.js';
export type { Features, LoadedModel, LoadModelOptions } from './model.js';
export type { Progress, ProgressEvent, ProgressListener } from './progress.js';
export type { DatasetFile, TrainSettings } from './settings.js';
export type { TrainOptions } from './train.js';

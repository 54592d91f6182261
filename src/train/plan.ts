// What a run will do on one data set, decided before any task starts: its split, its CV folds,
// and the data reference every task carries.
import type { Dataset } from '../data/dataset.js';
import { readRegularFile } from '../data/files.js';
import { UsageError } from '../errors.js';
import type { SharedDataRef } from '../execution/protocol.js';
import type { ModelDefinition, Preprocessing } from '../ml/estimator.js';
import { expandGrid } from '../ml/grid.js';
import {
  foldTrainRows,
  requireTwoClasses,
  stratifiedKFold,
  stratifiedSplit,
  validateFolds,
  validateSplit,
  type Split,
} from '../ml/split.js';
import { resolveMeasure, type Measure, type MeasureSpec } from '../results/report.js';

export interface RunPlan {
  dataset: Dataset;
  split: Split;
  /** Test rows of each CV fold (indices into the data set, all within split.train), or none. */
  folds: number[][] | null;
  models: ModelDefinition[];
  seed: number;
  tune: boolean;
  /** Overrides every definition's own preprocessing when set. */
  preprocess?: Preprocessing;
  modules: string[];
}

/** How a run is split, as the options say it. */
export interface SplitOptions {
  seed: number;
  testSize: number;
  splitFile?: string;
  cv?: number | true;
  foldsFile?: string;
  tune?: boolean;
}

export function toDataRef(dataset: Dataset): SharedDataRef {
  return {
    kind: 'shared',
    sha256: dataset.sha256,
    rows: dataset.rows,
    cols: dataset.cols,
    features: dataset.features.buffer as SharedArrayBuffer,
    labels: dataset.labels.buffer as SharedArrayBuffer,
    classes: dataset.classNames.length,
  };
}

async function readJsonFile(flag: string, path: string): Promise<unknown> {
  const text = await readRegularFile(path, `${flag} ${path}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${flag} ${path}: not valid JSON: ${(error as Error).message}`);
  }
}

/** The split the options ask for; whatever its source, its training part holds two classes or more. */
export async function planSplit(options: SplitOptions, dataset: Dataset): Promise<Split> {
  const where = options.splitFile ? `--split-file ${options.splitFile}` : `--test-size ${options.testSize}`;
  const split = options.splitFile
    ? validateSplit(await readJsonFile('--split-file', options.splitFile), dataset.rows, where)
    : stratifiedSplit(dataset.labels, dataset.classNames, options.testSize, options.seed);
  requireTwoClasses(dataset.labels, split.train, dataset.classNames, `${where}: the training part`);
  return split;
}

/**
 * The CV folds the options ask for, or null; whatever their source, each fold's training part
 * (the training rows it does not hold out) holds two classes or more.
 */
export async function planFolds(options: SplitOptions, dataset: Dataset, split: Split): Promise<number[][] | null> {
  const folds = await foldsOf(options, dataset, split);
  const where = options.foldsFile ? `--folds-file ${options.foldsFile}` : `--cv ${folds?.length}`;
  folds?.forEach((fold, f) =>
    requireTwoClasses(
      dataset.labels,
      foldTrainRows(split.train, fold),
      dataset.classNames,
      `${where}: the training part of testFolds[${f}]`,
    ),
  );
  return folds;
}

async function foldsOf(options: SplitOptions, dataset: Dataset, split: Split): Promise<number[][] | null> {
  if (options.foldsFile) {
    const folds = validateFolds(
      await readJsonFile('--folds-file', options.foldsFile),
      split.train,
      `--folds-file ${options.foldsFile}`,
    );
    if (typeof options.cv === 'number' && options.cv !== folds.length) {
      throw new UsageError(
        `--cv ${options.cv} disagrees with --folds-file ${options.foldsFile}, which holds ${folds.length} folds; drop --cv`,
      );
    }
    return folds;
  }
  const k = options.cv === true ? 5 : (options.cv ?? (options.tune ? 5 : 0));
  return k === 0 ? null : stratifiedKFold(dataset.labels, split.train, dataset.classNames, k, options.seed);
}

/**
 * A measure named on the command line, for this run: a metric without its scope takes the
 * leaderboard's (CV with CV, else the test part); one the run cannot have is a usage error.
 */
export function planMeasure(flag: string, spec: MeasureSpec, plan: Pick<RunPlan, 'folds' | 'split'>): Measure {
  const measure = resolveMeasure(spec, plan.folds ? 'cv' : 'test');
  if (measure.scope === 'cv' && !plan.folds)
    throw new UsageError(`${flag} cv.${measure.id}: this run has no CV; add --cv, or drop "cv."`);
  if (measure.scope === 'test' && plan.split.test.length === 0)
    throw new UsageError(`${flag} test.${measure.id}: this run has no test part (--test-size 0); drop "test."`);
  return measure;
}

/** Every grid candidate's params with --tune (the defaults alone without). */
export function candidatesOf(plan: Pick<RunPlan, 'tune'>, def: ModelDefinition) {
  return plan.tune && def.grid ? expandGrid(def.params, def.grid) : [def.params];
}

/** How many tasks evaluateModel hands the scheduler for a model when none fails: for progress. */
export function plannedTasks(plan: Pick<RunPlan, 'tune' | 'folds'>, def: ModelDefinition): number {
  return (plan.folds ? candidatesOf(plan, def).length * plan.folds.length : 0) + 1;
}

// ml/: the machine-learning primitives every other folder builds on: the estimator contract
// (this file), the column-major Matrix estimators read, preprocessing fitted per training part,
// splits and folds, parameter grids, the metrics table, summary statistics and the seeded random
// generator. Pure computation: nothing here does I/O, and this folder imports nothing of the
// project but shared leaves (errors, json).
import type { ZodType } from 'zod';
import type { JsonObject } from '../json.js';
import type { Matrix } from './matrix.js';

/**
 * The one estimator contract, in the spirit of scikit-learn's fit/predict. `X` is the task's
 * rows, column-major; `y` holds class indices 0..classes-1.
 */
export interface Estimator {
  fit(X: Matrix, y: Int32Array): void | Promise<void>;
  /** One class index per row (checked by the runner: integers in 0..classes-1). */
  predict(X: Matrix): ArrayLike<number>;
  /**
   * Class probabilities, `rows x classes`, row-major (row i's are contiguous), each row summing
   * to 1. Present exactly when the definition says `probabilities: true`.
   */
  predictProba?(X: Matrix): Float64Array;
  /** Plain JSON data from which the definition's `load` rebuilds the trained estimator. */
  toJSON(): unknown;
}

/** The same contract on plain arrays, for models built on libraries that take `number[][]`. */
export interface RowEstimator {
  fit(X: number[][], y: number[]): void | Promise<void>;
  predict(X: number[][]): ArrayLike<number>;
  /** One array of class probabilities per row. */
  predictProba?(X: number[][]): number[][];
  toJSON(): unknown;
}

export interface ModelContext {
  /** Seed for every random choice the estimator makes; same seed, same model. */
  seed: number;
  /** Number of classes in the data set (labels are 0..classes-1; a training part may lack some). */
  classes: number;
}

export type Preprocessing = 'standardize' | 'minmax' | 'none';

/** The library (an npm package) or engine that trains a model, as the report records it. */
export interface Library {
  name: string;
  version: string;
}

/** What a task's cost depends on: the rows it fits on, the data's width and classes, the params. */
export interface Shape<P extends JsonObject = JsonObject> {
  rows: number;
  features: number;
  classes: number;
  params: P;
}

interface DefinitionBase<P extends JsonObject> {
  /** Kebab-case id used on the command line and in reports. */
  id: string;
  description: string;
  library: Library;
  /** Default hyper-parameters: plain JSON, recorded in every report. */
  params: P;
  /** What a valid set of params is; `--param` values and grids are checked against it. */
  schema?: ZodType<P>;
  /** Candidate values per parameter for `--tune`; each list is tried in full. */
  grid?: { [K in keyof P]?: P[K][] };
  /** Feature scaling fitted on each training part before `fit`; default 'none'. */
  preprocess?: Preprocessing;
  /** Whether the estimator has `predictProba`. */
  probabilities?: boolean;
  /**
   * false: predict() may pick another class than the arg-max of predictProba() (a one-vs-one vote
   * beside probabilities from pairwise coupling, say). Default true, and checked by checkModel.
   */
  predictIsArgmax?: boolean;
  /**
   * Expected seconds for one fit and predict of this shape, roughly: the costliest tasks start
   * first and the progress estimate weighs tasks by it. Default: proportional to rows x features.
   */
  cost?(shape: Shape<P>): number;
  /** false: registered (trainable with --models) but not in a plain run's default set. */
  default?: boolean;
  /**
   * A baseline that learns nothing on purpose (the dummy): checkModel does not ask it to beat
   * chance, and the leaderboard marks the models that do not beat it.
   */
  baseline?: boolean;
  /**
   * The module that exports this definition (a file URL or path), for worker threads to import
   * when the definition is handed to the API in memory; `defineModel(definition, import.meta.url)`
   * records it.
   */
  module?: string;
}

export interface ModelDefinition<P extends JsonObject = JsonObject> extends DefinitionBase<P> {
  input: 'matrix';
  create(params: P, ctx: ModelContext): Estimator;
  load(json: unknown): Estimator;
}

export interface RowModelDefinition<P extends JsonObject = JsonObject> extends DefinitionBase<P> {
  /** Absent in a definition means 'rows'. */
  input?: 'rows';
  create(params: P, ctx: ModelContext): RowEstimator;
  load(json: unknown): RowEstimator;
}

/** Seconds a task of this shape is expected to take, by the definition's own estimate or the default. */
export function expectedCost(def: Pick<ModelDefinition, 'cost'>, shape: Shape): number {
  return def.cost ? def.cost(shape) : shape.rows * Math.max(1, shape.features) * 1e-7;
}

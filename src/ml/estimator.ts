import type { JsonObject } from '../json.js';

/** Matrix rows as plain arrays, labels as class indices 0..k-1: the only shapes callers see. */
export type Features = number[][];
export type Labels = number[];

/**
 * The one estimator contract, in the spirit of scikit-learn's fit/predict.
 * Adapters in src/models/ hide each library's conventions behind it.
 */
export interface Estimator {
  fit(X: Features, y: Labels): void | Promise<void>;
  predict(X: Features): Labels;
  /** Plain JSON data from which the definition's `load` rebuilds the trained estimator. */
  toJSON(): unknown;
}

export interface ModelContext {
  /** Seed for every random choice the estimator makes; same seed, same model. */
  seed: number;
  /** Number of classes in the training labels (labels are 0..classes-1). */
  classes: number;
}

export type Preprocessing = 'standardize' | 'minmax' | 'none';

export interface ModelDefinition<P extends JsonObject = JsonObject> {
  /** Kebab-case id used on the command line and in reports. */
  id: string;
  description: string;
  /** Default hyper-parameters: plain JSON, recorded in every report. */
  params: P;
  /** Candidate values per parameter for `--tune`; each list is tried in full. */
  grid?: { [K in keyof P]?: P[K][] };
  /** Feature scaling fitted on each training part before `fit`; default 'none'. */
  preprocess?: Preprocessing;
  /** Rough fitting cost relative to other models (default 1): the costliest tasks start first. */
  cost?: number;
  create(params: P, ctx: ModelContext): Estimator;
  load(json: unknown): Estimator;
}

/** Erases a definition's parameter type so definitions of different models share one list. */
export function defineModel<P extends JsonObject>(definition: ModelDefinition<P>): ModelDefinition {
  return definition as unknown as ModelDefinition;
}

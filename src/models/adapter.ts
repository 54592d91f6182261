// What every model file shares: `defineModel`, the one adapter that lets a model written for
// plain `number[][]` rows (most npm libraries, and user modules) meet the typed contract, and the
// guard against using an estimator before it is fitted.
import pkg from '../../package.json' with { type: 'json' };
import type { JsonObject } from '../json.js';
import type { Estimator, Library, ModelContext, ModelDefinition, RowEstimator, RowModelDefinition } from '../ml/estimator.js';
import { toRows, type Matrix } from '../ml/matrix.js';

/** What a model trained by one of src/engines/ names as its library. */
export const ENGINE: Library = { name: 'trainpool', version: pkg.version };

/** An estimator of src/engines/: every one has this shape. */
interface Engine {
  fit(X: Matrix, y: Int32Array, classes: number): void;
  predict(X: Matrix): Int32Array;
  predictProba(X: Matrix): Float64Array;
  toJSON(): unknown;
}

interface EngineClass<P> {
  new (params: P, seed: number): Engine;
  fromJSON(json: never): Engine;
}

/** The create/load half of a definition whose estimator is one of src/engines/. */
export function fromEngine<P extends JsonObject>(Engine: EngineClass<P>) {
  const wrap = (model: Engine, classes = 0): Estimator => ({
    fit: (X, y) => model.fit(X, y, classes),
    predict: (X) => model.predict(X),
    predictProba: (X) => model.predictProba(X),
    toJSON: () => model.toJSON(),
  });
  return {
    input: 'matrix' as const,
    probabilities: true,
    create: (params: P, ctx: ModelContext) => wrap(new Engine(params, ctx.seed), ctx.classes),
    load: (json: unknown) => wrap(Engine.fromJSON(json as never)),
  };
}

/**
 * Erases a definition's parameter type so that definitions of different models share one list,
 * and turns a rows definition into a matrix one: everything after this sees one contract.
 */
export function defineModel<P extends JsonObject>(
  definition: ModelDefinition<P> | RowModelDefinition<P>,
): ModelDefinition {
  return asMatrixModel(definition as unknown as ModelDefinition | RowModelDefinition);
}

/** A definition on the typed contract, converting rows models' inputs and outputs once per call. */
export function asMatrixModel(definition: ModelDefinition | RowModelDefinition): ModelDefinition {
  if (definition.input === 'matrix') return definition;
  const { create, load, ...rest } = definition;
  return {
    ...rest,
    input: 'matrix',
    create: (params, ctx) => fromRowEstimator(create(params, ctx), ctx.classes),
    load: (json) => fromRowEstimator(load(json)),
  };
}

function fromRowEstimator(estimator: RowEstimator, classes?: number): Estimator {
  const adapted: Estimator = {
    fit: (X, y) => estimator.fit(toRows(X), Array.from(y)),
    predict: (X) => estimator.predict(toRows(X)),
    toJSON: () => estimator.toJSON(),
  };
  const proba = estimator.predictProba;
  if (proba) adapted.predictProba = (X) => flatten(proba.call(estimator, toRows(X)), X, classes);
  return adapted;
}

function flatten(rows: number[][], X: Matrix, classes: number | undefined): Float64Array {
  const k = classes ?? rows[0]?.length ?? 0;
  if (rows.length !== X.rows) throw new Error(`predictProba() returned ${rows.length} rows for ${X.rows}`);
  const out = new Float64Array(X.rows * k);
  rows.forEach((row, i) => {
    if (row.length !== k) throw new Error(`predictProba() returned ${row.length} probabilities in row ${i}, not ${k}`);
    out.set(row, i * k);
  });
  return out;
}

/** The fitted model, or a clear error for predict()/toJSON() before fit(). */
export function fitted<T>(model: T | undefined, id: string): T {
  if (model === undefined) throw new Error(`${id}: fit() must run before predict() or toJSON()`);
  return model;
}

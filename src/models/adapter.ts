// What every model file shares: `defineModel`, the one adapter that lets a model written for
// plain `number[][]` rows (most npm libraries, and user modules) meet the typed contract, and the
// guard against using an estimator before it is fitted.
import { z } from 'zod';
import { UsageError } from '../errors.js';
import pkg from '../../package.json' with { type: 'json' };
import type { JsonObject } from '../json.js';
import type {
  Estimator,
  Library,
  ModelContext,
  ModelDefinition,
  RowEstimator,
  RowModelDefinition,
  Shape,
} from '../ml/estimator.js';
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
 * A definition as written: one outside this package may leave `library` out, and is then
 * recorded as its module's file name and content hash when it is registered.
 */
type Authored<D extends { library: Library }> = Omit<D, 'library'> & { library?: Library };

/** Any definition as written, on rows or on the typed contract. */
export type DefinitionInput<P extends JsonObject = JsonObject> =
  Authored<ModelDefinition<P>> | Authored<RowModelDefinition<P>>;

/**
 * Erases a definition's parameter type so that definitions of different models share one list,
 * and turns a rows definition into a matrix one: everything after this sees one contract.
 * `moduleUrl` (a module's `import.meta.url`) records where the definition is exported from, so
 * that worker threads can import it when the definition is passed to the API in memory.
 */
export function defineModel<P extends JsonObject>(definition: DefinitionInput<P>, moduleUrl?: string): ModelDefinition {
  const def = asMatrixModel(definition as unknown as ModelDefinition | RowModelDefinition);
  if (moduleUrl === undefined) return def;
  if (typeof moduleUrl !== 'string' || !/^file:/.test(moduleUrl))
    throw new UsageError(
      `defineModel(definition, moduleUrl): moduleUrl must be the module's import.meta.url (a file: URL), not ${JSON.stringify(moduleUrl)}`,
    );
  // tsx marks the URLs of the modules it compiles with a query of its own.
  const url = new URL(moduleUrl);
  url.search = '';
  return { ...def, module: url.href };
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

/** The params every classification tree of the tree engine takes, as scikit-learn names them. */
export const treeParams = {
  criterion: z.enum(['gini', 'entropy']),
  /** null: grow until leaves are pure or too small to split. */
  maxDepth: z.number().int().positive().nullable(),
  /** An integer >= 2, or a fraction of the rows in (0, 1]. */
  minSamplesSplit: z
    .number()
    .positive()
    .refine(
      (v) => (Number.isInteger(v) ? v >= 2 : v <= 1),
      'an integer of at least 2, or a fraction of the rows up to 1',
    ),
  /** An integer >= 1, or a fraction of the rows in (0, 1). */
  minSamplesLeaf: z
    .number()
    .positive()
    .refine((v) => Number.isInteger(v) || v < 1, 'an integer of at least 1, or a fraction of the rows below 1'),
  /** Features tried at each split: null (all), 'sqrt', 'log2', a count, or a fraction in (0, 1). */
  maxFeatures: z.union([
    z.null(),
    z.literal('sqrt'),
    z.literal('log2'),
    z
      .number()
      .positive()
      .refine((v) => Number.isInteger(v) || v < 1, 'a count (an integer) or a fraction of the features below 1'),
  ]),
  /** Bins per feature; a feature with at most this many values splits exactly. */
  maxBins: z.number().int().min(2).max(256),
};

/** A forest's params: the trees', their number, and whether each sees a bootstrap sample. */
export const forestParams = { ...treeParams, nEstimators: z.number().int().positive(), bootstrap: z.boolean() };

/**
 * A forest of nEstimators trees, each level reading its rows once per feature drawn at a split:
 * trees x rows x drawn features x depth (~ log rows).
 */
export function forestCost({ rows, features, params }: Shape<z.infer<z.ZodObject<typeof forestParams>>>): number {
  const drawn =
    params.maxFeatures === null
      ? features
      : params.maxFeatures === 'sqrt'
        ? Math.sqrt(features)
        : params.maxFeatures === 'log2'
          ? Math.log2(features)
          : params.maxFeatures < 1
            ? params.maxFeatures * features
            : params.maxFeatures;
  return 1e-3 + params.nEstimators * rows * Math.max(1, drawn) * Math.log2(rows + 2) * 4e-9;
}

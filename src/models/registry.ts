// The registry: the built-in models (index.ts) plus those of --model-module files, by id. A model
// module is checked here, where it is imported, so that a bad one is one clear line at start.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeValue, UsageError } from '../errors.js';
import { isJsonObject } from '../json.js';
import { expectedCost, type ModelDefinition, type RowModelDefinition, type Shape } from '../ml/estimator.js';
import { asMatrixModel } from './adapter.js';
import { builtinModels } from './index.js';

const PREPROCESSING = ['standardize', 'minmax', 'none'];

function problemOf(def: Record<string, unknown>): string | undefined {
  const optional = (key: string, type: string) => def[key] !== undefined && typeof def[key] !== type;
  if (typeof def['id'] !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(def['id']))
    return `"id" must be a lower-case string such as "my-model" (got ${describeValue(def['id'])})`;
  if (typeof def['description'] !== 'string') return '"description" must be a string';
  if (!isJsonObject(def['params'])) return '"params" must be a plain object of JSON values';
  if (typeof def['create'] !== 'function') return '"create" must be a function (params, ctx) => estimator';
  if (typeof def['load'] !== 'function') return '"load" must be a function (json) => estimator';
  if (def['grid'] !== undefined && !isJsonObject(def['grid'])) return '"grid" must be an object of value lists';
  if (def['preprocess'] !== undefined && !PREPROCESSING.includes(def['preprocess'] as string))
    return `"preprocess" must be one of ${PREPROCESSING.join(', ')}`;
  if (def['input'] !== undefined && def['input'] !== 'rows' && def['input'] !== 'matrix')
    return '"input" must be "rows" (fit/predict take number[][], the default) or "matrix" (column-major Float64Array)';
  if (optional('probabilities', 'boolean')) return '"probabilities" must be true or false';
  if (optional('default', 'boolean')) return '"default" must be true or false';
  if (
    def['cost'] !== undefined &&
    typeof def['cost'] !== 'function' &&
    !(typeof def['cost'] === 'number' && def['cost'] > 0)
  )
    return '"cost" must be a function ({ rows, features, classes, params }) => seconds, or a number above 0 (a weight)';
  const library = def['library'] as Record<string, unknown> | undefined;
  if (library !== undefined && (typeof library?.['name'] !== 'string' || typeof library['version'] !== 'string'))
    return '"library" must be { name: string, version: string }';
  try {
    JSON.stringify(def['params']);
  } catch {
    return '"params" must be JSON data';
  }
  return undefined;
}

/** A definition checked and put on the typed contract; one without a library is named by its module. */
export function checkDefinition(
  value: unknown,
  where: string,
  module: { path: string; sha256: string },
): ModelDefinition {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where} must be a model definition object, not ${describeValue(value)}`);
  }
  const problem = problemOf(value as Record<string, unknown>);
  if (problem) throw new UsageError(`${where}: ${problem}`);
  const def = value as ModelDefinition | RowModelDefinition;
  // A module that names no library is its own engine: its content hash tells two versions apart.
  const library = def.library ?? { name: basename(module.path), version: `sha256:${module.sha256.slice(0, 12)}` };
  // A number is a weight on the default estimate (rows x features), as definitions once gave it.
  const weight = def.cost as unknown;
  const cost = typeof weight === 'number' ? { cost: (shape: Shape) => weight * expectedCost({}, shape) } : {};
  return asMatrixModel({ ...def, library, ...cost } as ModelDefinition | RowModelDefinition);
}

/** True for what looks like a model definition among a module's named exports. */
const looksLikeDefinition = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as { create?: unknown }).create === 'function';

/**
 * The definitions a module exports: its default export, an array of them; or, in a module with
 * no default export, every named export that is a definition (or an array of them), as a module
 * of `export const myModel = defineModel(..., import.meta.url)` has.
 */
function definitionsOf(exports: Record<string, unknown>, where: string): unknown[] {
  if (exports['default'] !== undefined) {
    const definitions = exports['default'];
    if (!Array.isArray(definitions)) {
      throw new UsageError(
        `${where}: the default export must be an array of model definitions, not ${describeValue(definitions)}; write \`export default [myModel]\``,
      );
    }
    return definitions;
  }
  const found = Object.entries(exports)
    .filter(([key]) => key !== '__esModule')
    .flatMap(([, value]) =>
      Array.isArray(value) ? value.filter(looksLikeDefinition) : looksLikeDefinition(value) ? [value] : [],
    );
  // A module exporting a plain definition beside what defineModel(it, import.meta.url) made of it
  // means the latter.
  const recorded = found.filter((def) => typeof (def as { module?: unknown }).module === 'string');
  const named = recorded.length > 0 ? recorded : found;
  if (named.length === 0)
    throw new UsageError(
      `${where}: exports no model definitions; write \`export default [myModel]\` (or export each one built with defineModel)`,
    );
  return [...new Set(named)];
}

/**
 * Imports a user's ES module (.js, .mjs or .ts, wherever it is) and returns its exports. .ts is
 * compiled on the fly by tsx, loaded only when needed; outside a "type": "module" package tsx
 * compiles it to CommonJS, whose exports arrive as the properties of the default export (marked
 * __esModule): they are taken from there. A module that fails to load is a UsageError saying why.
 */
export async function importUserModule(path: string, where: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) throw new UsageError(`${where}: no such file`);
  if (!statSync(path).isFile()) throw new UsageError(`${where}: not a file`);
  const url = pathToFileURL(resolve(path)).href;
  let module: Record<string, unknown>;
  try {
    if (extname(path) === '.ts' || extname(path) === '.mts') {
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    } else {
      module = (await import(url)) as Record<string, unknown>;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const cjs =
      error instanceof Error &&
      /Top-level await is currently not supported with the "cjs" output format/.test(error.message);
    throw new UsageError(
      cjs
        ? `${where}: failed to load: top-level await needs an ES module, and a .ts file outside a "type": "module" package is compiled as CommonJS; rename it to .mts, or add a package.json with "type": "module" beside it`
        : `${where}: failed to load: ${message}`,
    );
  }
  const inner = module['default'];
  return typeof inner === 'object' && inner !== null && (inner as { __esModule?: unknown }).__esModule === true
    ? (inner as Record<string, unknown>)
    : module;
}

/**
 * Imports a user's model module: an ES module (.js, .mjs or .ts) whose default export is an array
 * of model definitions (or whose named exports are definitions).
 */
export async function loadModelModule(path: string, where = `--model-module ${path}`): Promise<ModelDefinition[]> {
  const module = await importUserModule(path, where);
  const definitions = definitionsOf(module, where);
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  return definitions.map((def, i) => checkDefinition(def, `${where}: default[${i}]`, { path, sha256 }));
}

export type Registry = ReadonlyMap<string, ModelDefinition>;

/** Built-in models plus those of the given modules; an id defined twice is an error. */
export async function createRegistry(modules: readonly string[]): Promise<Registry> {
  const registry = new Map<string, ModelDefinition>();
  const add = (def: ModelDefinition, origin: string) => {
    if (registry.has(def.id))
      throw new UsageError(`${origin}: model id "${def.id}" is already defined; give it another id`);
    registry.set(def.id, def);
  };
  for (const def of builtinModels) add(def, 'src/models');
  const loaded = await Promise.all(modules.map((path) => loadModelModule(path)));
  loaded.forEach((defs, i) => defs.forEach((def) => add(def, `--model-module ${modules[i]}`)));
  return registry;
}

/**
 * The definitions named by `--models`, in the order given; when none are named, every one in the
 * default set (all but those marked `default: false`).
 */
export function selectModels(registry: Registry, ids: readonly string[] | undefined): ModelDefinition[] {
  if (!ids || ids.length === 0) return [...registry.values()].filter((def) => def.default !== false);
  const unknown = ids.filter((id) => !registry.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown model id${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(', ')}; known ids: ${[...registry.keys()].join(', ')}`,
    );
  }
  return [...new Set(ids)].map((id) => registry.get(id) as ModelDefinition);
}

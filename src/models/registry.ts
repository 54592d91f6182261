// The registry: the built-in models (index.ts) plus those of --model-module files, by id, and the
// definitions a run trains (--models, with --param values in place of their defaults). A model
// module and a --param are checked here, so that a bad one is one clear line at start; a command's
// own thread tries a module out in a throwaway thread first (loadRegistry).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describeValue, UsageError } from '../errors.js';
import { z } from 'zod';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { expectedCost, type ModelDefinition, type RowModelDefinition, type Shape } from '../ml/estimator.js';
import { projectRoot } from '../paths.js';
import { asMatrixModel } from './adapter.js';
import { builtinModels } from './index.js';

const PREPROCESSING = ['standardize', 'minmax', 'none'];
/** What --model-module imports: JavaScript ES modules, and TypeScript through tsx. */
const MODULE_EXTENSIONS = ['.js', '.mjs', '.ts', '.mts'];

/** Ids name files, table rows and report sections: longer ones would not fit them. */
export const MAX_ID_LENGTH = 64;

function problemOf(def: Record<string, unknown>): string | undefined {
  const optional = (key: string, type: string) => def[key] !== undefined && typeof def[key] !== type;
  if (typeof def['id'] === 'string' && def['id'].length > MAX_ID_LENGTH)
    return `"id" must be at most ${MAX_ID_LENGTH} characters (it has ${def['id'].length})`;
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
  if (optional('predictIsArgmax', 'boolean')) return '"predictIsArgmax" must be true or false';
  if (optional('default', 'boolean')) return '"default" must be true or false';
  if (optional('baseline', 'boolean')) return '"baseline" must be true or false';
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
  // Importing runs a file: anything but a module of ours would run as whatever Node takes it for
  // (an extensionless file as CommonJS), and its syntax errors would quote its content.
  if (!MODULE_EXTENSIONS.includes(extname(path)))
    throw new UsageError(`${where}: not a model module (${MODULE_EXTENSIONS.join(', ')}); nothing was loaded from it`);
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

// Model modules are tried out in a throwaway worker thread before the main thread imports them. A
// module that ends its process while it loads (a top-level process.exit, as a script would) ends
// only that thread there, and is refused in one line; what it prints there is dropped. Then the
// main thread imports it as usual.

/** What the probe thread (workers/module-probe.ts) says. */
export type ProbeMessage = { loading: string } | { ok: true } | { ok: false; usage: boolean; message: string };

function probePath(): string {
  const path = join(projectRoot, 'dist/workers/module-probe.js');
  if (!existsSync(path)) throw new Error(`probe not built: ${path} is missing; run \`node scripts/build.mjs\``);
  return path;
}

/** Imports every module in a throwaway thread; resolves when each loaded and defines models. */
export async function probeModelModules(paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const worker = new Worker(probePath(), { workerData: { paths }, stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
  let current = paths[0]!;
  let settled = false;
  const where = () => `--model-module ${current}`;
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: ProbeMessage) => {
        // Anything else is what the module printed while it loaded (the thread's guard sends it
        // on): dropped, since the main thread's import prints it again.
        if (!('loading' in message) && !('ok' in message)) return;
        if ('loading' in message) current = message.loading;
        else if (message.ok) {
          settled = true;
          resolve();
        } else {
          settled = true;
          reject(message.usage ? new UsageError(message.message) : new UsageError(`${where()}: ${message.message}`));
        }
      });
      // An error thrown outside the import (a timer it set) ends the thread without a reply.
      worker.on('error', (error) => {
        settled = true;
        reject(new UsageError(`${where()}: it failed while loading: ${error.message.split('\n')[0]}`));
      });
      worker.on('exit', (code) => {
        if (!settled)
          reject(
            new UsageError(
              `${where()}: it ended its thread with process.exit(${code}) while loading; a model module must only define models, not run as a program`,
            ),
          );
      });
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * The registry for a command's own thread (train, predict): the modules are tried out in a
 * throwaway thread first (`probeModelModules`), so that one that would end this process is refused
 * instead.
 */
export async function loadRegistry(modules: readonly string[]): Promise<Registry> {
  await probeModelModules(modules);
  return createRegistry(modules);
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

/** A parameter's type in words, from its JSON Schema: `number > 0`, `'scale' | 'auto' | number > 0`, `integer >= 1 or null`. */
function describeType(schema: Record<string, unknown>): string {
  const any = (schema['anyOf'] ?? schema['oneOf']) as Record<string, unknown>[] | undefined;
  if (any) {
    const parts = any.map(describeType);
    const nullable = parts.includes('null');
    const rest = parts.filter((p) => p !== 'null').join(' | ');
    return nullable ? `${rest} or null` : rest;
  }
  if (schema['const'] !== undefined) return JSON.stringify(schema['const']).replace(/"/g, "'");
  if (Array.isArray(schema['enum'])) return schema['enum'].map((v) => JSON.stringify(v).replace(/"/g, "'")).join(' | ');
  const type = schema['type'];
  if (type === 'number' || type === 'integer') {
    const bounds = [
      schema['exclusiveMinimum'] !== undefined ? `> ${String(schema['exclusiveMinimum'])}` : undefined,
      schema['minimum'] !== undefined ? `>= ${String(schema['minimum'])}` : undefined,
      schema['exclusiveMaximum'] !== undefined ? `< ${String(schema['exclusiveMaximum'])}` : undefined,
      // zod writes the safe-integer bound of every integer: not worth saying.
      schema['maximum'] !== undefined && schema['maximum'] !== Number.MAX_SAFE_INTEGER
        ? `<= ${String(schema['maximum'])}`
        : undefined,
    ].filter(Boolean);
    return [type, ...bounds].join(' ');
  }
  if (typeof type === 'string') return type;
  return 'any JSON value';
}

/** Each parameter of a definition with its type in words, for messages: `C (number > 0), gamma (...)`. */
export function describeParams(def: ModelDefinition): string {
  const properties = paramTypes(def);
  return Object.keys(def.params)
    .map((key) => `${key} (${properties[key] ?? 'any JSON value'})`)
    .join(', ');
}

function paramTypes(def: ModelDefinition): Record<string, string> {
  if (!def.schema) return {};
  try {
    const json = z.toJSONSchema(def.schema, { unrepresentable: 'any' }) as {
      properties?: Record<string, Record<string, unknown>>;
    };
    return Object.fromEntries(Object.entries(json.properties ?? {}).map(([key, s]) => [key, describeType(s)]));
  } catch {
    return {};
  }
}

/**
 * How messages name what set a param: `"params.svm.C"` for settings, the flag for the command line
 * (`--param svm.C=10`); and the setting that names the run's models.
 */
export interface SettingNames {
  param(model: string, key: string | undefined): string;
  grid(model: string, key: string, index: number): string;
  models: string;
}

export const SETTING_NAMES: SettingNames = {
  param: (model, key) => `"params.${model}${key === undefined ? '' : `.${key}`}"`,
  grid: (model, key, index) => `"grid.${model}.${key}[${index}]"`,
  models: '"models"',
};

/**
 * The definitions as this run trains them: `params` (per model id) in place of their defaults,
 * each checked against the definition's params schema, and `grid` in place of their own grids. A
 * key set by `params` is no longer tuned (it leaves the grid). An unknown model, key or a value the
 * schema refuses is a usage error naming the known keys and their types.
 */
export function withSettings(
  registry: Registry,
  models: readonly ModelDefinition[],
  params: Readonly<Record<string, JsonObject>>,
  grid: Readonly<Record<string, Record<string, JsonValue[]>>>,
  names: SettingNames = SETTING_NAMES,
): ModelDefinition[] {
  for (const [model, given] of [...Object.entries(params), ...Object.entries(grid)]) {
    const name = names.param(model, Object.keys(given)[0]);
    if (!registry.has(model))
      throw new UsageError(`${name}: unknown model id "${model}"; known ids: ${[...registry.keys()].join(', ')}`);
    if (!models.some((m) => m.id === model))
      throw new UsageError(`${name}: ${model} is not trained in this run; add it to ${names.models}`);
  }
  const check = (def: ModelDefinition, values: JsonObject, name: (key: string) => string) => {
    if (!def.schema) return;
    const parsed = def.schema.safeParse(values);
    if (parsed.success) return;
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? Object.keys(values)[0]);
    throw new UsageError(
      `${name(key)}: ${def.id}'s ${key} must be ${paramTypes(def)[key] ?? 'valid'}, not ${JSON.stringify(values[key])}; its params: ${describeParams(def)}`,
    );
  };
  const unknownKey = (def: ModelDefinition, key: string, name: string) => {
    if (!Object.hasOwn(def.params, key))
      throw new UsageError(`${name}: ${def.id} has no parameter "${key}"; its params: ${describeParams(def)}`);
  };
  return models.map((def) => {
    const mine = params[def.id];
    const theirGrid = grid[def.id];
    if (mine === undefined && theirGrid === undefined) return def;
    for (const key of Object.keys(mine ?? {})) unknownKey(def, key, names.param(def.id, key));
    const merged: JsonObject = { ...def.params, ...mine };
    if (mine !== undefined)
      check(def, merged, (key) => names.param(def.id, Object.hasOwn(mine, key) ? key : undefined));
    for (const [key, values] of Object.entries(theirGrid ?? {})) {
      unknownKey(def, key, names.grid(def.id, key, 0));
      if (mine && Object.hasOwn(mine, key))
        throw new UsageError(
          `${names.grid(def.id, key, 0)}: ${def.id}'s ${key} is both set by ${names.param(def.id, key)} and tuned; drop one`,
        );
      values.forEach((value, i) => check(def, { ...merged, [key]: value }, () => names.grid(def.id, key, i)));
    }
    // A key set by params is fixed: the grid (given or the definition's own) no longer tunes it.
    const fixed = new Set(Object.keys(mine ?? {}));
    const tuned = theirGrid ?? def.grid;
    const left = tuned ? Object.fromEntries(Object.entries(tuned).filter(([key]) => !fixed.has(key))) : undefined;
    return { ...def, params: merged, ...(left ? { grid: left } : {}) };
  });
}

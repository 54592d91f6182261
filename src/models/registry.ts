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

function checkDefinition(value: unknown, where: string, module: { path: string; sha256: string }): ModelDefinition {
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

/**
 * Imports a user's model module: an ES module (.js, .mjs or .ts) whose default export is an array
 * of model definitions. .ts is compiled on the fly by tsx, loaded only when needed.
 */
export async function loadModelModule(path: string): Promise<ModelDefinition[]> {
  const where = `--model-module ${path}`;
  if (!existsSync(path)) throw new UsageError(`${where}: no such file`);
  if (!statSync(path).isFile()) throw new UsageError(`${where}: not a file`);
  // Importing runs a file: anything but a module of ours would run as whatever Node takes it for
  // (an extensionless file as CommonJS), and its syntax errors would quote its content.
  if (!MODULE_EXTENSIONS.includes(extname(path)))
    throw new UsageError(`${where}: not a model module (${MODULE_EXTENSIONS.join(', ')}); nothing was loaded from it`);
  const url = pathToFileURL(resolve(path)).href;
  let module: { default?: unknown };
  try {
    if (extname(path) === '.ts' || extname(path) === '.mts') {
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(url, import.meta.url)) as { default?: unknown };
    } else {
      module = (await import(url)) as { default?: unknown };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${where}: failed to load: ${message}`);
  }
  const definitions = module.default;
  if (!Array.isArray(definitions)) {
    throw new UsageError(
      `${where}: the default export must be an array of model definitions, not ${describeValue(definitions)}; write \`export default [myModel]\``,
    );
  }
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
  const loaded = await Promise.all(modules.map(loadModelModule));
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

/** A `--param model.key=value`, as it arrives from the command line. */
export interface ParamSetting {
  model: string;
  key: string;
  value: JsonValue;
  /** As given, for messages. */
  text: string;
}

/**
 * The definitions with `--param` values in place of their defaults, each checked against the
 * definition's params schema; a key set this way is no longer tuned (it leaves the grid). An
 * unknown model, key or a value the schema refuses is a usage error naming the known keys and
 * their types.
 */
export function withParams(
  registry: Registry,
  models: readonly ModelDefinition[],
  settings: readonly ParamSetting[],
): ModelDefinition[] {
  const byModel = new Map<string, ParamSetting[]>();
  for (const s of settings) {
    if (!registry.has(s.model))
      throw new UsageError(
        `--param ${s.text}: unknown model id "${s.model}"; known ids: ${[...registry.keys()].join(', ')}`,
      );
    if (!models.some((m) => m.id === s.model))
      throw new UsageError(`--param ${s.text}: ${s.model} is not trained in this run; add it to --models`);
    byModel.set(s.model, [...(byModel.get(s.model) ?? []), s]);
  }
  return models.map((def) => {
    const mine = byModel.get(def.id);
    if (!mine) return def;
    const params: JsonObject = { ...def.params };
    for (const s of mine) {
      if (!Object.hasOwn(def.params, s.key))
        throw new UsageError(
          `--param ${s.text}: ${def.id} has no parameter "${s.key}"; its params: ${describeParams(def)}`,
        );
      params[s.key] = s.value;
    }
    if (def.schema) {
      const parsed = def.schema.safeParse(params);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = String(issue.path[0] ?? mine[0]!.key);
        const setting = mine.find((s) => s.key === key) ?? mine[0]!;
        throw new UsageError(
          `--param ${setting.text}: ${def.id}'s ${key} must be ${paramTypes(def)[key] ?? 'valid'}, not ${JSON.stringify(params[key])}; its params: ${describeParams(def)}`,
        );
      }
    }
    const fixed = new Set(mine.map((s) => s.key));
    const grid = def.grid ? Object.fromEntries(Object.entries(def.grid).filter(([key]) => !fixed.has(key))) : undefined;
    return { ...def, params, ...(grid ? { grid } : {}) };
  });
}

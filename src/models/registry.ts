import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelDefinition } from '../ml/estimator.js';
import { describeValue, UsageError } from '../errors.js';
import { isJsonObject } from '../json.js';
import { builtinModels } from './index.js';

const PREPROCESSING = ['standardize', 'minmax', 'none'];

function checkDefinition(value: unknown, where: string): ModelDefinition {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where} must be a model definition object, not ${describeValue(value)}`);
  }
  const def = value as Record<string, unknown>;
  const problem =
    typeof def['id'] !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(def['id'])
      ? `"id" must be a lower-case string such as "my-model" (got ${describeValue(def['id'])})`
      : typeof def['description'] !== 'string'
        ? '"description" must be a string'
        : !isJsonObject(def['params'])
          ? '"params" must be a plain object of JSON values'
          : typeof def['create'] !== 'function'
            ? '"create" must be a function (params, ctx) => estimator'
            : typeof def['load'] !== 'function'
              ? '"load" must be a function (json) => estimator'
              : def['grid'] !== undefined && !isJsonObject(def['grid'])
                ? '"grid" must be an object of value lists'
                : def['preprocess'] !== undefined && !PREPROCESSING.includes(def['preprocess'] as string)
                  ? `"preprocess" must be one of ${PREPROCESSING.join(', ')}`
                  : undefined;
  if (problem) throw new UsageError(`${where}: ${problem}`);
  try {
    JSON.stringify(def['params']);
  } catch {
    throw new UsageError(`${where}: "params" must be JSON data`);
  }
  return value as ModelDefinition;
}

/**
 * Imports a user's model module: an ES module (.js, .mjs or .ts) whose default export is an array
 * of model definitions. .ts is compiled on the fly by tsx, loaded only when needed.
 */
export async function loadModelModule(path: string): Promise<ModelDefinition[]> {
  const where = `--model-module ${path}`;
  if (!existsSync(path)) throw new UsageError(`${where}: no such file`);
  if (!statSync(path).isFile()) throw new UsageError(`${where}: not a file`);
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
  return definitions.map((def, i) => checkDefinition(def, `${where}: default[${i}]`));
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

/** The definitions named by `--models` (all when none are named), in the order given. */
export function selectModels(registry: Registry, ids: readonly string[] | undefined): ModelDefinition[] {
  if (!ids || ids.length === 0) return [...registry.values()];
  const unknown = ids.filter((id) => !registry.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown model id${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(', ')}; known ids: ${[...registry.keys()].join(', ')}`,
    );
  }
  return [...new Set(ids)].map((id) => registry.get(id) as ModelDefinition);
}

// Which models a run trains, as the API is asked: ids of registered models (built in, or from the
// `modelModule` files), and definitions passed in memory, which worker threads can only train if
// they can import them again: each must name the module it comes from (defineModel's second
// argument). Params and grids given per model id are applied (and checked) by the registry.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeValue, UsageError } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { ModelDefinition } from '../ml/estimator.js';
import type { DefinitionInput } from '../models/adapter.js';
import { checkDefinition, loadRegistry, selectModels, withSettings, type SettingNames } from '../models/registry.js';

export type AnyDefinition = DefinitionInput;

export interface ModelChoice {
  models?: readonly (string | AnyDefinition)[];
  modelModule: readonly string[];
  params: Record<string, JsonObject>;
  grid: Record<string, Record<string, JsonValue[]>>;
  /** How messages name the params and grids (default: as settings, `"params.svm.C"`). */
  names?: SettingNames;
}

export interface ChosenModels {
  models: ModelDefinition[];
  /** Every module the workers load: the `modelModule` files and those of in-memory definitions. */
  modules: string[];
}

const realpath = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/** The file an in-memory definition's worker threads import, or a UsageError saying why there is none. */
function moduleOf(def: AnyDefinition, key: string): string {
  const id = typeof def.id === 'string' ? def.id : '?';
  const recorded: unknown = def.module;
  if (recorded === undefined)
    throw new UsageError(
      `"${key}": model "${id}" was passed in memory without its module, and worker threads cannot import it; define it with defineModel(definition, import.meta.url) in a module that exports it`,
    );
  if (typeof recorded !== 'string')
    throw new UsageError(`"${key}.module" must be a file URL or path, not ${describeValue(recorded)}`);
  const path = recorded.startsWith('file:') ? fileURLToPath(recorded) : resolve(recorded);
  if (!existsSync(path)) throw new UsageError(`"${key}": model "${id}" names its module ${path}, which does not exist`);
  const entry = process.argv[1];
  // The script that calls train() would run again, training again, in every worker thread.
  if (entry !== undefined && realpath(path) === realpath(resolve(entry)))
    throw new UsageError(
      `"${key}": model "${id}" is defined in ${path}, the script that calls train(); worker threads import the module a model comes from, so move the definition into a module of its own and import it`,
    );
  return path;
}

/** The run's models, in the order asked (the default set when none are named), and their modules. */
export async function chooseModels(choice: ModelChoice): Promise<ChosenModels> {
  const modules = choice.modelModule.map((p) => resolve(p));
  const fromFiles = new Set(modules);
  const registry = new Map((await loadRegistry(modules)).entries());
  const inMemory = new Map<string, ModelDefinition>();
  const asked = choice.models;
  const order: string[] = [];
  asked?.forEach((entry, i) => {
    const key = `models[${i}]`;
    if (typeof entry === 'string') return order.push(entry);
    if (typeof entry !== 'object' || entry === null)
      throw new UsageError(`"${key}" must be a model id or a model definition, not ${describeValue(entry)}`);
    const path = moduleOf(entry, key);
    const def = checkDefinition(entry, `"${key}"`, {
      path,
      sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    });
    // Passed in memory and in `modelModule` too: the module's own definition is the one.
    if (fromFiles.has(path) && registry.has(def.id)) return order.push(def.id);
    const twin = inMemory.get(def.id);
    if (registry.has(def.id) || (twin && twin.module !== def.module))
      throw new UsageError(`"${key}": model id "${def.id}" is already defined; give it another id`);
    if (!modules.includes(path)) modules.push(path);
    inMemory.set(def.id, def);
    return order.push(def.id);
  });
  for (const [id, def] of inMemory) registry.set(id, def);
  const selected = selectModels(registry, asked === undefined ? undefined : order);
  return { models: withSettings(registry, selected, choice.params, choice.grid, choice.names), modules };
}

// User model modules (--model-module) across machines. A task names the modules its model came
// from; on another machine those names must lead to the same files in that machine's clone.
import { existsSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { projectRoot } from '../../paths.js';

/**
 * How the coordinator names a module in a job: relative to the clone (`./test/fixtures/m.mjs`)
 * when it lies inside it, so every worker finds it in its own clone; absolute otherwise.
 */
export function portableModulePath(path: string): string {
  const rel = relative(projectRoot, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return `./${rel.split(sep).join('/')}`;
}

/** Thrown when a worker cannot find a module a task names; the task fails with this message. */
export class ModuleNotFoundError extends Error {
  override readonly name = 'ModuleNotFoundError';
}

/**
 * Where this worker finds a module a job names: a relative name in this clone; an absolute one as
 * is when it exists here, else the module given to this worker's --model-module with the same
 * file name.
 */
export function localModulePath(name: string, preloaded: readonly string[]): string {
  const direct = isAbsolute(name) ? name : resolve(projectRoot, name);
  if (existsSync(direct)) return direct;
  const byName = preloaded.filter((p) => basename(p) === basename(name));
  if (byName.length === 1) return byName[0]!;
  const looked = isAbsolute(name) ? direct : `${direct} (in this clone)`;
  throw new ModuleNotFoundError(
    byName.length > 1
      ? `model module ${name}: ${byName.length} modules given to this worker's --model-module are called ${basename(name)}; keep one`
      : `model module ${name} is not on this worker (looked for ${looked}); put it at the same place in this clone, or start the worker with --model-module <its path here>`,
  );
}

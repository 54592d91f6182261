// User model modules (--model-module) across machines. A job names a module by its file name and
// content hash, never by a path: a worker runs only the modules given on its own command line,
// matched by that name, and only when their content is the coordinator's. Nothing a job says can
// make a worker import a file it was not given.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../../errors.js';
import type { ModuleRef } from './wire.js';

const hashes = new Map<string, string>();

function contentHash(path: string): string {
  let hash = hashes.get(path);
  if (hash === undefined) {
    hash = createHash('sha256').update(readFileSync(path)).digest('hex');
    hashes.set(path, hash);
  }
  return hash;
}

/** How the coordinator names a module in a job: its file name and the sha256 of its content. */
export function moduleRef(path: string): ModuleRef {
  return { name: basename(path), sha256: contentHash(path) };
}

/** Thrown when a worker cannot run a module a task names; the task fails with this message. */
export class ModuleNotFoundError extends Error {
  override readonly name = 'ModuleNotFoundError';
}

const short = (sha256: string) => sha256.slice(0, 12);

/** The modules a worker was started with, by file name. */
export class WorkerModules {
  private constructor(private readonly byName: ReadonlyMap<string, { path: string; sha256: string }>) {}

  /** Absolute paths, already checked by the registry. Two of the same file name are a usage error. */
  static of(paths: readonly string[]): WorkerModules {
    const byName = new Map<string, { path: string; sha256: string }>();
    for (const path of paths) {
      const name = basename(path);
      const twin = byName.get(name);
      if (twin)
        throw new UsageError(
          `--model-module ${path} and ${twin.path} are both called ${name}: jobs name modules by file name; rename one`,
        );
      byName.set(name, { path, sha256: contentHash(path) });
    }
    return new WorkerModules(byName);
  }

  /** This worker's path for the module a job names, or a ModuleNotFoundError saying why not. */
  resolve(ref: ModuleRef): string {
    const name = ref.name;
    if (name.includes('/') || name.includes('\\') || name === '.' || name === '..')
      throw new ModuleNotFoundError(
        `the task names model module ${JSON.stringify(name.slice(0, 200))} by a path; workers load only the modules on their own --model-module, by file name`,
      );
    const local = this.byName.get(name);
    if (!local)
      throw new ModuleNotFoundError(
        `model module ${name} is not given to this worker; start it with --model-module <path to ${name}>`,
      );
    if (local.sha256 !== ref.sha256)
      throw new ModuleNotFoundError(
        `model module ${name} differs here (sha256 ${short(local.sha256)}) from the coordinator's (${short(ref.sha256)}); give the worker the same file`,
      );
    return local.path;
  }
}

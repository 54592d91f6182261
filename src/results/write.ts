// The one place that writes results. Every file lands by rename, so no reader ever sees half of
// one, and a run folder appears whole: a run claims its id by creating a hidden staging folder
// before its first task, fills it, and renames it into place when its report is complete.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { slug } from '../paths.js';

/** Writes `content` to a temporary name in the same folder, then renames it into place. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Run ids sort by time; the random tail keeps runs started in the same second apart. */
export function newRunId(dataset: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${slug(dataset)}-${randomBytes(3).toString('hex')}`;
}

export const STAGING_PREFIX = '.staging-';
const OWNER = '.owner';
/** No run leaves its staging folder untouched this long while it lives: older ones are stale. */
const STALE_MS = 24 * 60 * 60_000;

interface Owner {
  host: string;
  pid: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process that owns a staging folder, while it is recorded there. */
export async function stagingOwner(staging: string): Promise<Owner | undefined> {
  try {
    const [host, pid] = (await readFile(join(staging, OWNER), 'utf8')).split('\n');
    return host !== undefined && pid !== undefined && /^\d+$/.test(pid) ? { host, pid: Number(pid) } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the owner certainly still runs: a live process of this host. */
const ownerAlive = (owner: Owner | undefined) =>
  owner !== undefined && owner.host === hostname() && (owner.pid === process.pid || processAlive(owner.pid));

/** The newest change in a staging folder: the folder itself or any file directly in it. */
async function lastTouched(path: string): Promise<number> {
  let newest = (await stat(path)).mtimeMs;
  for (const name of await readdir(path).catch(() => [] as string[])) {
    const mtime = await stat(join(path, name)).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/**
 * Removes staging folders left by runs that ended without renaming theirs: only those untouched
 * for a day whose owner is not alive. A younger one is left alone even when its owner is gone,
 * so that a later run can take it over to resume what it holds.
 */
export async function removeStaleStaging(resultsDir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(resultsDir)).filter((name) => name.startsWith(STAGING_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(resultsDir, name);
    try {
      if (now - (await lastTouched(path)) < STALE_MS || ownerAlive(await stagingOwner(path))) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Renamed or removed by its owner meanwhile: not ours to worry about.
    }
  }
  return removed;
}

/** Renames, trying again for a moment on the errors a busy file system gives for a while. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 5 || !['EBUSY', 'EPERM', 'EACCES', 'EAGAIN'].includes(code ?? '')) throw error;
      await sleep(50 * attempt);
    }
  }
}

/** A run's folder from the moment it claims its id until it lands in `resultsDir`. */
export class RunFolder {
  private constructor(
    readonly resultsDir: string,
    readonly runId: string,
  ) {}

  /** The hidden folder the run fills (and where it may keep what it needs while it runs). */
  get staging(): string {
    return join(this.resultsDir, `${STAGING_PREFIX}${this.runId}`);
  }

  /** Where the folder lands. */
  get target(): string {
    return join(this.resultsDir, this.runId);
  }

  /**
   * A new run id that no other run, finished or running, in `resultsDir` has or can take: its
   * staging folder is created here (mkdir fails on an existing one), owned by this process.
   * Creating it is also the check that `resultsDir` can be written, before any training.
   */
  static async claim(resultsDir: string, dataset: string, now = new Date()): Promise<RunFolder> {
    await mkdir(resultsDir, { recursive: true });
    await removeStaleStaging(resultsDir);
    for (;;) {
      const folder = new RunFolder(resultsDir, newRunId(dataset, now));
      try {
        await mkdir(folder.staging);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      // A run that took this id earlier has already renamed its staging folder into place.
      if (existsSync(folder.target)) {
        await rm(folder.staging, { recursive: true, force: true });
        continue;
      }
      await writeFile(join(folder.staging, OWNER), `${hostname()}\n${process.pid}`);
      return folder;
    }
  }

  /**
   * Writes the files (paths relative to the run folder) and renames the folder into place; returns
   * its path. The folder is complete when it appears; nothing earlier is ever overwritten.
   */
  async land(files: Record<string, string>): Promise<string> {
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(this.staging, name)), { recursive: true });
      await writeFile(join(this.staging, name), content);
    }
    // A run killed between these two keeps a hidden staging folder without an owner: stale in a day.
    await rm(join(this.staging, OWNER), { force: true });
    // rename() refuses to replace a non-empty folder, so an existing run is never overwritten.
    await renameWithRetry(this.staging, this.target);
    return this.target;
  }
}

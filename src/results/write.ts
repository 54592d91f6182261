// The one place that writes results. Every file lands by rename, so no reader ever sees half of
// one, and a run folder appears whole: a run claims its id by creating a hidden staging folder
// before its first task (which is also the check that the results folder can take it), fills it,
// and renames it into place when its report is complete, or into a fallback folder when the
// results folder cannot take it by then. A run that stopped before then (killed, crashed, a power
// cut) or landed incomplete (interrupted, out of budget) can be taken over by a later process to
// resume it (`RunFolder.takeOver`); what it keeps for that while it runs is appended durably
// (`AppendFile`: fsync before a line counts).
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { homedir, hostname, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../errors.js';
import { shown, slug } from '../paths.js';

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

/** Makes a folder's entries (a file created or renamed in it) survive a power cut. */
async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * writeFileAtomic, and on disk when it returns: the content is flushed before the rename and the
 * rename before returning, so that after a power cut the file is either the old one or this one.
 */
export async function writeFileDurable(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    await syncFolder(dirname(path));
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * A file that only grows by whole lines, each on disk (fdatasync) before `append` resolves. Lines
 * that arrive while a flush is under way are written together by the next one, so a burst of
 * results costs a few flushes, not one each. After a power cut the file holds every line whose
 * append had resolved, possibly followed by part of the next: a reader must skip a torn last line.
 */
export class AppendFile {
  private pending: string[] = [];
  private queued = false;
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<AppendFile> {
    const created = !existsSync(path);
    const handle = await open(path, 'a');
    if (created) await syncFolder(dirname(path));
    return new AppendFile(handle, path);
  }

  /** Appends `line` (a newline is added); rejects if the file cannot be written. */
  append(line: string): Promise<void> {
    this.pending.push(`${line}\n`);
    if (!this.queued) {
      this.queued = true;
      this.chain = this.chain.then(async () => {
        this.queued = false;
        const batch = this.pending.splice(0).join('');
        await this.handle.write(batch);
        await this.handle.datasync();
      });
    }
    return this.chain;
  }

  /** Waits for every line appended so far, then closes the file. */
  async close(): Promise<void> {
    try {
      await this.chain;
    } finally {
      await this.handle.close();
    }
  }
}

/** Run ids sort by time; the random tail keeps runs started in the same second apart. */
export function newRunId(dataset: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${slug(dataset)}-${randomBytes(3).toString('hex')}`;
}

export const STAGING_PREFIX = '.staging-';
const OWNER = '.owner';
const TAKEOVER = '.takeover-';
/** No run leaves its staging folder untouched this long while it lives: older ones are stale. */
const STALE_MS = 24 * 60 * 60_000;

interface Owner {
  host: string;
  pid: number;
  /** The kernel's boot id when the owner started: a process of another boot is gone, whatever its pid. */
  boot?: string;
  /** Names this ownership: the one process that takes it over creates `.takeover-<nonce>`. */
  nonce?: string;
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

const ownerText = () => [hostname(), process.pid, bootId() ?? '', randomBytes(6).toString('hex')].join('\n');

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
    const [host, pid, boot, nonce] = (await readFile(join(staging, OWNER), 'utf8')).split('\n');
    if (host === undefined || pid === undefined || !/^\d+$/.test(pid)) return undefined;
    return { host, pid: Number(pid), ...(boot ? { boot } : {}), ...(nonce ? { nonce } : {}) };
  } catch {
    return undefined;
  }
}

/** Whether the owner may still run: a live process of this host and of this boot. */
export const ownerAlive = (owner: Owner | undefined) =>
  owner !== undefined &&
  owner.host === hostname() &&
  (owner.boot === undefined || bootId() === undefined || owner.boot === bootId()) &&
  (owner.pid === process.pid || processAlive(owner.pid));

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
   * Claiming is also the check that `resultsDir` can take the run, before any training: a folder
   * that is a file, read-only, not ours to write or on a full disk is a UsageError saying so.
   */
  static async claim(resultsDir: string, dataset: string, now = new Date()): Promise<RunFolder> {
    try {
      return await RunFolder.claimIn(resultsDir, dataset, now);
    } catch (error) {
      if (errorCode(error) === undefined) throw error;
      const { cause, fix } = writeProblem(error, resultsDir);
      throw new UsageError(`--results-dir ${shown(resultsDir)}: ${cause}${fix ? `; ${fix}` : ''}`);
    }
  }

  private static async claimIn(resultsDir: string, dataset: string, now: Date): Promise<RunFolder> {
    await mkdir(resultsDir, { recursive: true });
    await removeStaleStaging(resultsDir);
    for (;;) {
      const folder = new RunFolder(resultsDir, newRunId(dataset, now));
      try {
        await mkdir(folder.staging);
      } catch (error) {
        if (errorCode(error) === 'EEXIST') continue;
        throw error;
      }
      // A run that took this id earlier has already renamed its staging folder into place.
      if (existsSync(folder.target)) {
        await rm(folder.staging, { recursive: true, force: true });
        continue;
      }
      try {
        await writeFile(join(folder.staging, OWNER), ownerText());
        await probeSpace(folder.staging);
      } catch (error) {
        await rm(folder.staging, { recursive: true, force: true });
        throw error;
      }
      return folder;
    }
  }

  /**
   * Takes over run `runId` to resume it: its staging folder when the process that owned it is gone
   * (killed, crashed, the machine stopped), or its run folder when it landed incomplete, which is
   * moved back to staging until it lands again. Of several processes trying at once, one wins; the
   * others get a UsageError, as does a run whose owner still runs.
   */
  static async takeOver(resultsDir: string, runId: string): Promise<RunFolder> {
    const folder = new RunFolder(resultsDir, runId);
    if (existsSync(folder.staging)) {
      const owner = await stagingOwner(folder.staging);
      if (owner && ownerAlive(owner))
        throw new UsageError(
          `run ${runId} is still running (process ${owner.pid}); wait for it to end, or stop it, before resuming it`,
        );
      if (owner && owner.host !== hostname())
        throw new UsageError(
          `run ${runId} was started on ${owner.host}; resume it there, or remove ${shown(join(folder.staging, OWNER))} if that process is gone`,
        );
      try {
        await mkdir(join(folder.staging, `${TAKEOVER}${owner?.nonce ?? 'unowned'}`));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          throw new UsageError(`run ${runId} is being resumed by another process`);
        throw error;
      }
      await writeFileDurable(join(folder.staging, OWNER), ownerText());
      return folder;
    }
    if (!existsSync(folder.target)) throw new UsageError(`no run ${runId} in ${shown(resultsDir)}`);
    // Owned before it moves, so that no cleanup takes it for a dead run's folder meanwhile.
    await writeFile(join(folder.target, OWNER), ownerText());
    try {
      await renameWithRetry(folder.target, folder.staging);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTEMPTY' || code === 'EEXIST')
        throw new UsageError(`run ${runId} is being resumed by another process`);
      throw error;
    }
    // Another process may have written its own owner file before this rename won.
    await writeFileDurable(join(folder.staging, OWNER), ownerText());
    await syncFolder(resultsDir);
    return folder;
  }

  /** Writes a file of the run's own (what it needs to be resumed) into its staging folder, durably. */
  async keep(name: string, content: string): Promise<void> {
    await writeFileDurable(join(this.staging, name), content);
    await syncFolder(this.resultsDir);
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
    for (const name of await readdir(this.staging))
      if (name.startsWith(TAKEOVER)) await rm(join(this.staging, name), { recursive: true, force: true });
    // rename() refuses to replace a non-empty folder, so an existing run is never overwritten.
    await renameWithRetry(this.staging, this.target);
    return this.target;
  }

  /**
   * Lands the folder; when that fails (the disk filled up while the run trained, the folder was
   * removed or made read-only), lands the same files in the first fallback folder that takes
   * them (`fallbackDirs`), so that a finished run is never lost. `problem` says, in one line, why
   * the folder is not in `resultsDir`; `path` is undefined when no folder took it at all.
   */
  async landOrFallBack(files: Record<string, string>): Promise<Landing> {
    try {
      return { path: await this.land(files) };
    } catch (error) {
      const problem = `could not write the run folder ${shown(this.target)}: ${writeProblem(error, this.target).cause}`;
      // What was written is of no use now and may be what filled the disk.
      await Promise.all(Object.keys(files).map((name) => rm(join(this.staging, name), { force: true })));
      for (const dir of fallbackDirs()) {
        try {
          await mkdir(dir, { recursive: true });
          const fallback = new RunFolder(dir, this.runId);
          await mkdir(fallback.staging);
          return { path: await fallback.land(files), problem };
        } catch {
          // The next one, then.
        }
      }
      return { path: undefined, problem };
    }
  }
}

export interface Landing {
  /** Where the run folder is; undefined when it could be written nowhere. */
  path: string | undefined;
  /** Why it is not in the results folder, when it is not. */
  problem?: string;
}

/** Where a run folder goes when its results folder cannot take it, in order. */
export function fallbackDirs(): string[] {
  return [...new Set([join(tmpdir(), 'trainpool-unsaved'), join(homedir(), 'trainpool-unsaved')])];
}

/** A results folder must take a file this large before a run starts. */
export const SPACE_PROBE_BYTES = 2 ** 20;

/**
 * Writes and removes a file of SPACE_PROBE_BYTES: a disk too full for a report fails here rather
 * than after the training. Random bytes, which a compressing file system cannot shrink to nothing.
 */
async function probeSpace(dir: string): Promise<void> {
  const probe = join(dir, '.space-probe');
  try {
    await writeFile(probe, randomBytes(SPACE_PROBE_BYTES));
  } finally {
    await rm(probe, { force: true });
  }
}

const errorCode = (error: unknown): string | undefined => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The nearest part of `path` (itself or a folder above it) that exists. */
function nearestExisting(path: string): string {
  let p = resolve(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

/**
 * What stands in the way of creating `path`, found on the file system: a file where a folder
 * should be, or a folder that refuses writes. mkdir's own code can mislead (Node's recursive
 * mkdir says ENOENT on a read-only file system).
 */
function obstacle(path: string): { file: string } | { code: string } | undefined {
  const p = nearestExisting(path);
  try {
    if (!statSync(p).isDirectory()) return { file: p };
    accessSync(p, constants.W_OK);
  } catch (error) {
    const code = errorCode(error);
    if (code !== undefined) return { code };
  }
  return undefined;
}

/**
 * Why a folder could not be written, from a file-system error: the cause in words, and what to do
 * about it when a run is about to start there.
 */
export function writeProblem(error: unknown, path: string): { cause: string; fix?: string } {
  let code = errorCode(error);
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'ENOENT') {
    const found = obstacle(path);
    if (found && 'file' in found)
      return {
        cause: `${found.file === resolve(path) ? 'it' : shown(found.file)} is a file, not a folder`,
        fix: 'give a folder (it is created if missing)',
      };
    if (found) code = found.code;
  }
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return { cause: `no space left on its disk (${code})`, fix: 'free some space or choose a folder on another disk' };
    case 'EROFS':
      return { cause: 'it is on a read-only file system (EROFS)', fix: 'choose a folder on a writable one' };
    case 'EACCES':
    case 'EPERM':
      return {
        cause: `permission denied (${code}): this user may not write there`,
        fix: 'choose another folder or change its permissions',
      };
    case 'EFBIG':
      return { cause: 'a file there would exceed the file size limit (EFBIG; see ulimit -f)' };
    case 'ENOENT':
      return { cause: 'it was removed while the run was using it (ENOENT)' };
  }
  return { cause: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
}

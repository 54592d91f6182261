// The one place that writes results. Every file lands by rename, so no reader ever sees half of
// one, and a run folder appears whole: it is written under a hidden staging name and renamed.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

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
  const slug =
    dataset
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'data';
  return `${stamp}-${slug}-${randomBytes(3).toString('hex')}`;
}

// A run folder is written as `.staging-<runId>/` and renamed to `<runId>/`. The staging folder
// holds an owner file (host and pid) from the moment it exists: it is made under a claim name that
// says who made it, `.claim.<pid>.<random>.<host>`, with the owner file inside, then renamed to
// its staging name. rename() fails onto a non-empty folder, which is what makes a run id one
// process's own.
const STAGING = '.staging-';
const CLAIM = '.claim.';
const OWNER = '.owner';
/** A staging folder without an owner (from an older version) is stale after this long. */
const STALE_UNOWNED_MS = 10 * 60_000;
/** No run takes this long to write its files: older staging folders are stale whoever owns them. */
const STALE_ANY_MS = 24 * 60 * 60_000;

interface Owner {
  host: string;
  pid: number;
}

const stagingPath = (resultsDir: string, runId: string) => join(resultsDir, `${STAGING}${runId}`);
const me = (): Owner => ({ host: hostname(), pid: process.pid });

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the owner is certainly gone: a process of this host that no longer runs. */
const ownerDead = (owner: Owner) => owner.host === hostname() && owner.pid !== process.pid && !processAlive(owner.pid);

async function readOwner(staging: string): Promise<Owner | undefined> {
  try {
    const [host, pid] = (await readFile(join(staging, OWNER), 'utf8')).split('\n');
    return host !== undefined && pid !== undefined && /^\d+$/.test(pid) ? { host, pid: Number(pid) } : undefined;
  } catch {
    return undefined;
  }
}

function claimOwner(name: string): Owner | undefined {
  const [pid, random, ...host] = name.slice(CLAIM.length).split('.');
  return pid && /^\d+$/.test(pid) && random && host.length > 0 ? { pid: Number(pid), host: host.join('.') } : undefined;
}

/**
 * Removes what runs killed while writing their folder left behind: staging and claim folders whose
 * owner process (on this host) is gone, staging folders without an owner after 10 minutes, and
 * any older than a day. They are hidden, so no reader ever saw them; this only reclaims the space.
 */
export async function removeStaleStaging(resultsDir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(resultsDir)).filter((name) => name.startsWith(STAGING) || name.startsWith(CLAIM));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(resultsDir, name);
    try {
      const age = now - (await stat(path)).mtimeMs;
      const owner = name.startsWith(CLAIM) ? claimOwner(name) : await readOwner(path);
      const stale = age > STALE_ANY_MS || (owner === undefined ? age > STALE_UNOWNED_MS : ownerDead(owner));
      if (!stale) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Renamed or removed by its owner meanwhile: not ours to worry about.
    }
  }
  return removed;
}

/** Creates the staging folder for `runId`, owned by this process; false when the id is taken. */
async function claimStaging(resultsDir: string, runId: string): Promise<boolean> {
  const { host, pid } = me();
  const claim = join(resultsDir, `${CLAIM}${pid}.${randomBytes(4).toString('hex')}.${host}`);
  await mkdir(claim);
  try {
    await writeFile(join(claim, OWNER), `${host}\n${pid}`);
    try {
      await rename(claim, stagingPath(resultsDir, runId));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
      throw error;
    }
  } finally {
    await rm(claim, { recursive: true, force: true });
  }
  // A run that took this id earlier has already renamed its staging folder into place.
  if (existsSync(join(resultsDir, runId))) {
    await rm(stagingPath(resultsDir, runId), { recursive: true, force: true });
    return false;
  }
  return true;
}

/**
 * A new run id that no other run, finished or being written, in `resultsDir` has or can take: its
 * staging folder is created here, to be filled by `writeRunFolder`. Stale staging folders of
 * killed runs are removed on the way.
 */
export async function claimRunId(resultsDir: string, dataset: string, now = new Date()): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  await removeStaleStaging(resultsDir);
  for (;;) {
    const runId = newRunId(dataset, now);
    if (await claimStaging(resultsDir, runId)) return runId;
  }
}

/**
 * Writes a run folder `results/<runId>/` with the given files (paths relative to it) and returns
 * its path. The folder is complete when it appears; nothing earlier is ever overwritten. The run
 * id should come from `claimRunId`; an id that another run has taken is refused.
 */
export async function writeRunFolder(
  resultsDir: string,
  runId: string,
  files: Record<string, string>,
): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const staging = stagingPath(resultsDir, runId);
  const target = join(resultsDir, runId);
  const owner = await readOwner(staging);
  const ours = owner?.host === hostname() && owner.pid === process.pid;
  if (!ours && !(await claimStaging(resultsDir, runId)))
    throw new Error(`run id ${runId} is already taken in ${resultsDir}`);
  try {
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(staging, name)), { recursive: true });
      await writeFile(join(staging, name), content);
    }
    // rename() refuses to replace a non-empty folder, so an existing run is never overwritten.
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  // The owner file goes last: a run killed just before this keeps a hidden one-line file, never a
  // staging folder without an owner.
  await rm(join(target, OWNER), { force: true });
  return target;
}

// When to rebuild: before a command runs, `ensureBuilt` compares the sources with the last build's
// stamp (~2 ms for an unchanged tree) and rebuilds only when one is newer, or a file was added,
// removed or renamed, so that nobody runs stale code after editing a model. Several commands may
// start at once on a stale tree: one builds under a lock and the others wait for it. The build
// itself (scripts/build.mjs) is loaded only when there is something to build.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';

import { root, sources, stampFile } from './sources.mjs';

function isStale(files) {
  let stamp;
  try {
    stamp = statSync(stampFile).mtimeMs;
  } catch {
    return true;
  }
  // Directory mtimes catch deleted and renamed files too.
  const dirs = new Set(files.map((f) => dirname(f)));
  for (const path of [...files, ...dirs]) {
    if (statSync(path).mtimeMs > stamp) return true;
  }
  return false;
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The pid a lock folder names, or undefined when it names none (a folder made some other way). */
function lockOwner(lockDir) {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the build lock `lockDir` for this process, waiting while a live process holds it. The lock
 * is made by renaming a folder that already holds our pid, so a lock of ours always names its
 * owner: one that names none, or names a process that has ended (a build killed by Ctrl-C), is
 * taken over at once. Resolves with how it was taken: 'free', 'no owner' or 'dead owner'; or
 * 'gave up waiting' after `waitMs`, when it is taken anyway.
 */
export async function acquireBuildLock(lockDir, { waitMs = 60_000, pollMs = 25, stillNeeded = () => true } = {}) {
  const deadline = Date.now() + waitMs;
  const mine = `${lockDir}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  for (let how = 'free'; ;) {
    mkdirSync(mine, { recursive: true });
    writeFileSync(join(mine, 'pid'), String(process.pid));
    try {
      // rename() replaces an empty folder and refuses one with files in it: a lock without its pid
      // file (an empty folder) is taken over here without a word.
      renameSync(mine, lockDir);
      return how;
    } catch (error) {
      rmSync(mine, { recursive: true, force: true });
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(lockDir);
    const reason =
      owner === undefined
        ? 'no owner'
        : !processAlive(owner)
          ? 'dead owner'
          : Date.now() > deadline
            ? 'gave up waiting'
            : undefined;
    if (reason) {
      rmSync(lockDir, { recursive: true, force: true });
      how = reason;
      continue;
    }
    await sleep(pollMs);
    if (!stillNeeded()) return 'not needed';
  }
}

/** Removes the lock if this process holds it. */
export function releaseBuildLock(lockDir) {
  if (lockOwner(lockDir) === process.pid) rmSync(lockDir, { recursive: true, force: true });
}

/** Rebuilds dist/ when a source is newer than the last build; otherwise returns at once. */
export async function ensureBuilt() {
  if (!isStale(sources())) return;
  const lockDir = join(root, '.build-lock');
  const how = await acquireBuildLock(lockDir, { stillNeeded: () => isStale(sources()) });
  if (how === 'not needed') return;
  try {
    const { build } = await import('./build.mjs');
    if (isStale(sources())) await build();
  } finally {
    releaseBuildLock(lockDir);
  }
}

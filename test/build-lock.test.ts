// The build lock (scripts/stale.mjs): one builder at a time; a lock whose owner is gone, or that
// names no owner at all, is taken over at once instead of waited out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without typings
import { acquireBuildLock, releaseBuildLock } from '../scripts/stale.mjs';
import { tempDir } from './support/helpers.js';

type Acquire = (dir: string, options?: { waitMs?: number; pollMs?: number }) => Promise<string>;
const acquire = acquireBuildLock as Acquire;
const release = releaseBuildLock as (dir: string) => void;
const pidIn = (lock: string) => Number(readFileSync(join(lock, 'pid'), 'utf8'));

describe('the build lock', () => {
  it('is taken when free, names its owner, and is released', async () => {
    const lock = join(tempDir(), '.build-lock');
    expect(await acquire(lock)).toBe('free');
    expect(pidIn(lock)).toBe(process.pid);
    release(lock);
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock folder without a pid file is taken over at once', async () => {
    const lock = join(tempDir(), '.build-lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'something-else'), '');
    expect(await acquire(lock)).toBe('no owner');
    expect(pidIn(lock)).toBe(process.pid);
  });

  it('an empty lock folder is taken over at once', async () => {
    const lock = join(tempDir(), '.build-lock');
    mkdirSync(lock);
    expect(['free', 'no owner']).toContain(await acquire(lock));
    expect(pidIn(lock)).toBe(process.pid);
  });

  it('a lock whose process has ended is taken over at once', async () => {
    const lock = join(tempDir(), '.build-lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(spawnSync(process.execPath, ['-e', '']).pid));
    expect(await acquire(lock)).toBe('dead owner');
  });

  it("a live process's lock is waited for until it is released", async () => {
    const lock = join(tempDir(), '.build-lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.ppid));
    let taken = false;
    const waiting = acquire(lock, { pollMs: 10 }).then((how) => {
      taken = true;
      return how;
    });
    await sleep(300);
    expect(taken).toBe(false);
    rmSync(lock, { recursive: true });
    expect(await waiting).toBe('free');
    expect(pidIn(lock)).toBe(process.pid);
  });
});

// Run ids are claimed exclusively in the results folder before the first task, folders land whole,
// and the hidden staging folders of runs that ended without landing are kept for a day (a later
// run may take one over to resume it), never those of a run still going.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleStaging, RunFolder } from '../src/results/write.js';
import { tempDir } from './support/helpers.js';

/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

function staging(resultsDir: string, name: string, owner: string | undefined, ageMs: number) {
  const dir = join(resultsDir, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'journal'), 'what finished');
  if (owner !== undefined) writeFileSync(join(dir, '.owner'), owner);
  const then = new Date(Date.now() - ageMs);
  for (const entry of readdirSync(dir)) utimesSync(join(dir, entry), then, then);
  utimesSync(dir, then, then);
}

const DAY = 24 * 3600_000;

describe('run folders', () => {
  it('200 claims at the same instant get 200 distinct ids, each landed whole', async () => {
    const resultsDir = tempDir();
    const now = new Date();
    const folders = await Promise.all(Array.from({ length: 200 }, () => RunFolder.claim(resultsDir, 'iris', now)));
    const ids = folders.map((f) => f.runId);
    expect(new Set(ids).size).toBe(200);
    // Claimed and hidden until they land.
    expect(readdirSync(resultsDir).every((name) => name.startsWith('.staging-'))).toBe(true);
    await Promise.all(folders.map((f) => f.land({ 'report.json': `"${f.runId}"` })));
    expect(readdirSync(resultsDir).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(readFileSync(join(resultsDir, id, 'report.json'), 'utf8')).toBe(`"${id}"`);
      expect(readdirSync(join(resultsDir, id))).toEqual(['report.json']);
    }
  });

  it('a run folder that appeared under the same name is never overwritten', async () => {
    const resultsDir = tempDir();
    const folder = await RunFolder.claim(resultsDir, 'iris');
    mkdirSync(folder.target);
    writeFileSync(join(folder.target, 'report.json'), 'first');
    await expect(folder.land({ 'report.json': 'second' })).rejects.toThrow(/ENOTEMPTY|EEXIST/);
    expect(readFileSync(join(folder.target, 'report.json'), 'utf8')).toBe('first');
  });

  it('clears staging folders untouched for a day whose owner is gone; keeps younger ones and live owners', async () => {
    const resultsDir = tempDir();
    const dead = `${hostname()}\n${deadPid()}`;
    const live = `${hostname()}\n${process.ppid}`;
    staging(resultsDir, '.staging-dead-old', dead, DAY + 60_000);
    staging(resultsDir, '.staging-unowned-old', undefined, DAY + 60_000);
    staging(resultsDir, '.staging-live-old', live, DAY + 60_000);
    staging(resultsDir, '.staging-dead-recent', dead, 60_000);
    staging(resultsDir, '.staging-other-host-recent', `some-other-host\n1`, 60_000);
    mkdirSync(join(resultsDir, '20260101-000000-iris-abcdef'));

    const removed = await removeStaleStaging(resultsDir);
    expect(removed.sort()).toEqual(['.staging-dead-old', '.staging-unowned-old']);
    expect(readdirSync(resultsDir).sort()).toEqual(
      ['.staging-dead-recent', '.staging-live-old', '.staging-other-host-recent', '20260101-000000-iris-abcdef'].sort(),
    );
  });

  it('an unwritable results folder is found when the run claims its id, before any training', async () => {
    const resultsDir = join(tempDir(), 'file');
    writeFileSync(resultsDir, 'not a folder');
    await expect(RunFolder.claim(resultsDir, 'iris')).rejects.toThrow(/is a file, not a folder/);
  });
});

// Run ids are claimed exclusively in the results folder, and the hidden leftovers of runs killed
// while writing are cleared by the next run, never those of a run still writing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimRunId, removeStaleStaging, writeRunFolder } from '../src/results/write.js';
import { tempDir } from './support/helpers.js';

/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

function staging(resultsDir: string, name: string, owner?: string) {
  mkdirSync(join(resultsDir, name));
  writeFileSync(join(resultsDir, name, 'report.json'), '{"schemaVersion": 1, "trunc');
  if (owner !== undefined) writeFileSync(join(resultsDir, name, '.owner'), owner);
}

describe('run folders', () => {
  it('200 claims at the same instant get 200 distinct ids, each written whole', async () => {
    const resultsDir = tempDir();
    const now = new Date();
    const ids = await Promise.all(Array.from({ length: 200 }, () => claimRunId(resultsDir, 'iris', now)));
    expect(new Set(ids).size).toBe(200);
    await Promise.all(ids.map((id) => writeRunFolder(resultsDir, id, { 'report.json': `"${id}"` })));
    const names = readdirSync(resultsDir);
    expect(names.sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(readFileSync(join(resultsDir, id, 'report.json'), 'utf8')).toBe(`"${id}"`);
      expect(readdirSync(join(resultsDir, id))).toEqual(['report.json']);
    }
  });

  it('an id another process holds is refused, not overwritten', async () => {
    const resultsDir = tempDir();
    const id = await claimRunId(resultsDir, 'iris');
    writeFileSync(join(resultsDir, `.staging-${id}`, '.owner'), `${hostname()}\n${process.ppid}`);
    await expect(writeRunFolder(resultsDir, id, { 'report.json': '{}' })).rejects.toThrow(/already taken/);
  });

  it('an id whose run folder exists is refused; that folder is left as it was', async () => {
    const resultsDir = tempDir();
    mkdirSync(join(resultsDir, 'run-1'));
    writeFileSync(join(resultsDir, 'run-1', 'report.json'), 'first');
    await expect(writeRunFolder(resultsDir, 'run-1', { 'report.json': 'second' })).rejects.toThrow(/already taken/);
    expect(readFileSync(join(resultsDir, 'run-1', 'report.json'), 'utf8')).toBe('first');
    expect(readdirSync(resultsDir)).toEqual(['run-1']);
  });

  it('clears staging and claim folders of dead processes; keeps those of live ones and recent unowned ones', async () => {
    const resultsDir = tempDir();
    const dead = deadPid();
    staging(resultsDir, '.staging-dead', `${hostname()}\n${dead}`);
    staging(resultsDir, '.staging-live', `${hostname()}\n${process.ppid}`);
    staging(resultsDir, '.staging-other-host', `some-other-host\n${dead}`);
    staging(resultsDir, '.staging-unowned-recent');
    staging(resultsDir, '.staging-unowned-old');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(resultsDir, '.staging-unowned-old'), old, old);
    mkdirSync(join(resultsDir, `.claim.${dead}.0a1b2c3d.${hostname()}`));
    mkdirSync(join(resultsDir, `.claim.${process.ppid}.0a1b2c3d.${hostname()}`));
    mkdirSync(join(resultsDir, '20260101-000000-iris-abcdef'));

    const removed = await removeStaleStaging(resultsDir);
    expect(removed.sort()).toEqual(
      ['.staging-dead', '.staging-unowned-old', `.claim.${dead}.0a1b2c3d.${hostname()}`].sort(),
    );
    expect(readdirSync(resultsDir).sort()).toEqual(
      [
        '.staging-live',
        '.staging-other-host',
        '.staging-unowned-recent',
        `.claim.${process.ppid}.0a1b2c3d.${hostname()}`,
        '20260101-000000-iris-abcdef',
      ].sort(),
    );
  });
});

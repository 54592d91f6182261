// Taking over a run to resume it (RunFolder.takeOver): a staging folder whose owner is gone, also
// when its pid now belongs to another process after a reboot (a power cut); never one whose owner
// runs, nor one owned on another host; and of several processes trying at once, exactly one wins.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunFolder, STAGING_PREFIX } from '../src/results/write.js';
import { tempDir } from './support/helpers.js';

const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

function staging(resultsDir: string, runId: string, owner: string): string {
  const dir = join(resultsDir, `${STAGING_PREFIX}${runId}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.owner'), owner);
  return dir;
}

describe('RunFolder.takeOver', () => {
  it('takes a dead owner’s folder, or one of an earlier boot; refuses a live owner and another host', async () => {
    const resultsDir = tempDir();
    // pid 1 always runs: only its boot id tells that it is not the process that wrote the file.
    staging(resultsDir, 'run-rebooted', `${hostname()}\n1\nan-earlier-boot\nn1`);
    const taken = await RunFolder.takeOver(resultsDir, 'run-rebooted');
    expect(readFileSync(join(taken.staging, '.owner'), 'utf8').split('\n').slice(0, 3)).toEqual([
      hostname(),
      String(process.pid),
      boot,
    ]);

    staging(resultsDir, 'run-live', `${hostname()}\n1\n${boot}\nn2`);
    await expect(RunFolder.takeOver(resultsDir, 'run-live')).rejects.toThrow(
      'run run-live is still running (process 1); wait for it to end, or stop it, before resuming it',
    );
    staging(resultsDir, 'run-elsewhere', `another-host\n4242\n\nn3`);
    await expect(RunFolder.takeOver(resultsDir, 'run-elsewhere')).rejects.toThrow(
      /^run run-elsewhere was started on another-host; resume it there, or remove .*\.owner if that process is gone$/,
    );
    await expect(RunFolder.takeOver(resultsDir, 'run-none')).rejects.toThrow(/^no run run-none in /);
  });

  it('of eight processes taking over one run at once, one wins and the others are told', async () => {
    const resultsDir = tempDir();
    // A pid no process has: the owner is gone.
    staging(resultsDir, 'run-orphan', `${hostname()}\n4194305\n${boot}\nn4`);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => RunFolder.takeOver(resultsDir, 'run-orphan')),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === 'rejected')
        expect((o.reason as Error).message).toBe('run run-orphan is being resumed by another process');

    // A landed run is moved back to staging for its resume, and lands again in its place.
    const landed = join(resultsDir, 'run-landed');
    mkdirSync(landed);
    writeFileSync(join(landed, 'report.json'), '{}');
    const back = await RunFolder.takeOver(resultsDir, 'run-landed');
    expect(existsSync(landed)).toBe(false);
    expect(existsSync(join(back.staging, 'report.json'))).toBe(true);
    expect(await back.land({ 'report.json': '{"again":true}' })).toBe(landed);
    expect(readFileSync(join(landed, 'report.json'), 'utf8')).toBe('{"again":true}');
    expect(existsSync(join(landed, '.owner'))).toBe(false);
  });
});

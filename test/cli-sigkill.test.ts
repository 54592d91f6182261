// A run killed with SIGKILL, at any moment, leaves no visible run folder that is incomplete: a
// folder appears by rename only once every file in it is written. What a killed run leaves is
// hidden (.staging-*), and the runs after it neither show it nor trip over it.
import { watch } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/results/schema.js';
import { tempDir } from './support/helpers.js';
import { listResults, start } from './support/processes.js';

const args = (resultsDir: string) => ['--results-dir', resultsDir, '--quiet', '--cv', '3'];

/** Every visible folder holds a whole, valid report; everything else is a hidden staging folder. */
function expectOnlyWholeRuns(resultsDir: string) {
  const { runs, hidden } = listResults(resultsDir);
  for (const run of runs) {
    const report = parseReport(readFileSync(join(resultsDir, run, 'report.json'), 'utf8'));
    expect(report.runId).toBe(run);
    expect(readFileSync(join(resultsDir, run, 'report.md'), 'utf8')).toContain('## Leaderboard');
  }
  for (const name of hidden) expect(name).toMatch(/^\.staging-/);
  return { runs, hidden };
}

describe('SIGKILL', () => {
  it('at moments from start-up to the end of the run: every report.json present is whole', async () => {
    const resultsDir = tempDir();
    // From before the workers start to past the usual end of a run (about 1 s here, more when loaded).
    for (const delay of [0, 30, 100, 200, 350, 500, 700, 900, 1200, 1600]) {
      const run = start('train', args(resultsDir));
      await sleep(delay);
      run.child.kill('SIGKILL');
      await run.exited;
      expectOnlyWholeRuns(resultsDir);
    }
    // A full run in the same folder still works and is whole.
    const last = start('train', args(resultsDir));
    expect((await last.exited).code).toBe(0);
    expect(expectOnlyWholeRuns(resultsDir).runs.length).toBeGreaterThanOrEqual(1);
  });

  it('while its folder is being written: nothing partial is visible, and the next run is not disturbed', async () => {
    const resultsDir = tempDir();
    let outcomes = { killedWhileStaging: 0 };
    for (let i = 0; i < 3; i++) {
      const run = start('train', args(resultsDir));
      const watcher = watch(resultsDir, (_event, name) => {
        // Kill the moment the staging folder appears, before or while the files go in.
        if (name?.startsWith('.staging-')) run.child.kill('SIGKILL');
      });
      const exit = await run.exited;
      watcher.close();
      if (exit.signal === 'SIGKILL') outcomes.killedWhileStaging += 1;
      expectOnlyWholeRuns(resultsDir);
    }
    expect(outcomes.killedWhileStaging).toBeGreaterThan(0);
    // Their staging folders stay hidden (a day, for a later run to resume); the next run lands beside them.
    const before = listResults(resultsDir);
    const next = start('train', args(resultsDir));
    expect((await next.exited).code).toBe(0);
    const { runs, hidden } = expectOnlyWholeRuns(resultsDir);
    expect(hidden).toEqual(before.hidden);
    expect(runs).toHaveLength(before.runs.length + 1);
  });
});

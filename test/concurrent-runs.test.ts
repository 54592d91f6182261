// Several `npm run train` started at once against one results folder each write their own whole
// folder under a distinct run id, also when they all start on a stale build and must wait for
// one of them to rebuild dist/.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tempDir } from './support/helpers.js';
import { listResults, readReport, start } from './support/processes.js';

/**
 * A copy of the project without dist/, so that a rebuild there cannot disturb the other test
 * files, which run from this tree's dist/ meanwhile.
 */
function projectCopy(): string {
  const copy = tempDir('trainpool-copy-');
  for (const part of ['package.json', 'bin', 'scripts', 'src', 'workers', 'bench', 'test/support'])
    cpSync(join(root, part), join(copy, part), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

async function eightRuns(cwd: string) {
  const resultsDir = tempDir();
  const runs = Array.from({ length: 8 }, (_, i) =>
    start('train', ['--results-dir', resultsDir, '--quiet', '--json', '--models', 'svm', '--seed', String(i)], {}, cwd),
  );
  const exits = await Promise.all(runs.map((r) => r.exited));
  return { resultsDir, runs, exits };
}

function expectEightWholeRuns({ resultsDir, runs, exits }: Awaited<ReturnType<typeof eightRuns>>) {
  expect(exits).toEqual(Array(8).fill({ code: 0, signal: null }));
  for (const run of runs) expect(run.stderr()).toBe('');
  const { runs: folders, hidden } = listResults(resultsDir);
  expect(hidden).toEqual([]);
  expect(folders).toHaveLength(8);
  // Each process's own report, in its own folder.
  const printed = runs.map((r) => (JSON.parse(r.stdout()) as { runId: string }).runId);
  expect([...printed].sort()).toEqual(folders);
  const reports = folders.map((f) => readReport(resultsDir, f));
  expect(reports.map((r) => r.status)).toEqual(Array(8).fill('complete'));
  expect(reports.map((r) => r.split.seed).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
}

describe('concurrent runs', () => {
  it('8 runs at once: 8 complete, distinct, valid report folders', async () => {
    expectEightWholeRuns(await eightRuns(root));
  });

  it('8 runs at once on a stale build: one rebuilds dist/ under the lock, all 8 complete', async () => {
    const copy = projectCopy();
    expect(existsSync(join(copy, 'dist'))).toBe(false);
    expectEightWholeRuns(await eightRuns(copy));
    expect(readFileSync(join(copy, 'dist/.build-stamp'), 'utf8')).toContain('src/commands/train.ts');
    expect(existsSync(join(copy, '.build-lock'))).toBe(false);
  });

  it('a build lock left by a killed build is taken over at once, not waited out', async () => {
    const copy = projectCopy();
    mkdirSync(join(copy, '.build-lock'));
    writeFileSync(join(copy, '.build-lock/pid'), String(spawnSync(process.execPath, ['-e', '']).pid));
    const started = Date.now();
    const run = start('train', ['--results-dir', tempDir(), '--quiet', '--models', 'svm'], {}, copy);
    expect((await run.exited).code).toBe(0);
    // Waiting the lock out takes 60 s; taking it over, one build's time.
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(existsSync(join(copy, '.build-lock'))).toBe(false);
  });

  it('a build lock folder without its pid file (made by hand, or by an older build) is taken over at once', async () => {
    const copy = projectCopy();
    mkdirSync(join(copy, '.build-lock'));
    const started = Date.now();
    const run = start('train', ['--results-dir', tempDir(), '--quiet', '--models', 'svm'], {}, copy);
    expect((await run.exited).code).toBe(0);
    // Waiting the lock out takes 60 s; taking it over, one build's time.
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(existsSync(join(copy, '.build-lock'))).toBe(false);
  });
});

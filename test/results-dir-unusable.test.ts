// A results folder that cannot take a run (a file, below a file, read-only, without permission,
// on a full disk) is found when the run claims its id, before any training: one line naming the
// folder and the cause, exit status 2, no stack trace.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli, tempDir, type CliResult } from './support/helpers.js';
import { fillTmpfs, mountTmpfs, runConfined, unprivileged } from './support/confined.js';

const TRAIN = '"$NODE" "$ROOT/scripts/run.mjs" train --models knn';

function expectRefusedBeforeTraining(run: CliResult, cause: RegExp) {
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^train: error: --results-dir /);
  expect(lines[0]).toMatch(cause);
  // Nothing trained: no model line, not even the claimed run id.
  expect(run.stdout).toBe('');
}

describe('an unusable --results-dir is refused before training', () => {
  it('a file', async () => {
    const file = join(tempDir(), 'results');
    writeFileSync(file, 'not a folder');
    expectRefusedBeforeTraining(
      await runCli('train', ['--models', 'knn', '--results-dir', file]),
      /is a file, not a folder/,
    );
  });

  it('a path below a file', async () => {
    const file = join(tempDir(), 'results');
    writeFileSync(file, 'not a folder');
    expectRefusedBeforeTraining(
      await runCli('train', ['--models', 'knn', '--results-dir', join(file, 'runs')]),
      /is a file, not a folder/,
    );
  });

  it('a folder on a read-only file system', async () => {
    const mnt = tempDir();
    const run = await runConfined(
      `${mountTmpfs(256, true)}
       exec ${TRAIN} --results-dir "$MNT/results"`,
      {
        MNT: mnt,
      },
    );
    expectRefusedBeforeTraining(run, /read-only/);
  });

  it('a folder this user may not write to', async () => {
    const dir = join(tempDir(), 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    const [command, ...prefix] = [...unprivileged(), process.execPath];
    const run = await new Promise<CliResult>((done) =>
      execFile(
        command!,
        [...prefix, join(root, 'scripts/run.mjs'), 'train', '--models', 'knn', '--results-dir', dir],
        { cwd: root, env: { ...process.env, NO_COLOR: '1' } },
        (error, stdout, stderr) =>
          done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      ),
    );
    expectRefusedBeforeTraining(run, /permission/);
  });

  it('a folder on a full disk', async () => {
    const mnt = tempDir();
    const run = await runConfined(
      `${mountTmpfs(256)}
       mkdir "$MNT/results"
       ${fillTmpfs(256)}
       exec ${TRAIN} --results-dir "$MNT/results"`,
      { MNT: mnt },
    );
    expectRefusedBeforeTraining(run, /no space left/);
  });
});

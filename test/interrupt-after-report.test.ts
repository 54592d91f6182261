// A Ctrl-C that comes after the report is written cuts nothing short: the run exits 0, with its
// report complete, however late in the process's exit the signal lands.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listResults, readReport, start, type Exit } from './support/processes.js';
import { root, tempDir } from './support/helpers.js';

/**
 * From the moment the report is printed, `send` a SIGINT; with `repeat`, again every millisecond
 * until the process is gone, all within the second in which signals count as one Ctrl-C, so that
 * one lands however late the process is in its exit. Resolves with how the process ended.
 */
function interruptAfterReport(
  child: ChildProcess,
  send: () => void,
  repeat: boolean,
): Promise<Exit & { sawReport: boolean }> {
  let out = '';
  let hammer: NodeJS.Timeout | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (hammer || !out.includes('report:')) return;
    const first = Date.now();
    send();
    hammer = setInterval(() => {
      if (!repeat || Date.now() - first > 800) clearInterval(hammer);
      else send();
    }, 1);
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearInterval(hammer);
      resolve({ code, signal, sawReport: hammer !== undefined });
    }),
  );
}

function expectComplete(resultsDir: string) {
  const { runs } = listResults(resultsDir);
  expect(runs).toHaveLength(1);
  expect(readReport(resultsDir, runs[0]!).status).toBe('complete');
}

describe('Ctrl-C after the report is written', () => {
  it('exits 0 with the report complete', async () => {
    const resultsDir = tempDir();
    const run = start('train', ['--results-dir', resultsDir, '--models', 'knn']);
    const exit = await interruptAfterReport(run.child, () => run.child.kill('SIGINT'), true);
    expect(exit, run.stderr()).toEqual({ code: 0, signal: null, sawReport: true });
    expectComplete(resultsDir);
  });

  // One Ctrl-C, as a person presses it: npm itself dies of a signal that lands after its script
  // has exited, which repeating it would provoke.
  it('through `npm run train`, with the Ctrl-C sent to the whole process group as a terminal does', async () => {
    const resultsDir = tempDir();
    const npm = spawn('npm', ['run', '--silent', 'train', '--', '--results-dir', resultsDir, '--models', 'knn'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exit = await interruptAfterReport(npm, () => process.kill(-npm.pid!, 'SIGINT'), false);
    expect(exit).toEqual({ code: 0, signal: null, sawReport: true });
    expectComplete(resultsDir);
  });
});

// Ctrl-C (SIGINT) or SIGTERM while models train: no new task starts, running ones stop, the
// report of what finished is written with status "interrupted", and the exit status is 130 or
// 143. The signal goes to the node process itself, as `npm run` forwards it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SAME_INTERRUPT_MS } from '../src/train/interrupt.js';
import { fixture, tempDir } from './support/helpers.js';
import { listResults, readReport, start, waitUntil } from './support/processes.js';

const faulty = fixture('models/faulty.mjs');

/** Starts a run whose fault-slow model is mid-fit (it writes `started`) when this returns. */
async function startBusyRun(models: string) {
  const resultsDir = tempDir();
  const started = join(tempDir('trainpool-marker-'), 'started');
  const run = start(
    'train',
    ['--results-dir', resultsDir, '--model-module', faulty, '--models', models, '--threads', '2'],
    {
      TRAINPOOL_STARTED_MARKER: started,
    },
  );
  await waitUntil('the slow model has started fitting', () => existsSync(started) || run.child.exitCode !== null);
  return { run, resultsDir };
}

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s during a run', (signal, status) => {
  it(`writes the partial report, status "interrupted", and exits ${status}`, async () => {
    const { run, resultsDir } = await startBusyRun('fault-slow,svm');
    // svm finishes quickly on the other thread; fault-slow waits a minute unless stopped.
    await waitUntil('svm has finished', () => /✓ svm/.test(run.stdout()));
    run.child.kill(signal);
    const exit = await run.exited;
    expect(exit).toEqual({ code: status, signal: null });
    expect(run.stderr()).toContain(`train: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping`);

    const { runs, hidden } = listResults(resultsDir);
    expect(hidden).toEqual([]);
    expect(runs).toHaveLength(1);
    const report = readReport(resultsDir, runs[0]!);
    expect(report.status).toBe('interrupted');
    const [slow, svm] = report.models;
    expect(svm).toMatchObject({ id: 'svm', status: 'ok' });
    expect(svm?.status === 'ok' && svm.predictions).toHaveLength(report.split.test.length);
    expect(slow).toMatchObject({
      id: 'fault-slow',
      status: 'not-run',
      reason: { kind: 'aborted', message: `the run was interrupted (${signal})` },
    });
    expect(run.stdout()).toContain('interrupted: partial report');
  });
});

describe('interrupting before anything finished, and twice', () => {
  it('tasks not yet started are not run: every model is a row', async () => {
    // One thread: fault-slow runs first (its declared cost is the higher), svm waits its turn.
    const resultsDir = tempDir();
    const started = join(tempDir('trainpool-marker-'), 'started');
    const run = start(
      'train',
      [
        '--results-dir',
        resultsDir,
        '--model-module',
        faulty,
        '--models',
        'fault-slow,svm',
        '--threads',
        '1',
        '--quiet',
      ],
      { TRAINPOOL_STARTED_MARKER: started },
    );
    await waitUntil('the slow model has started fitting', () => existsSync(started));
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 130, signal: null });
    expect(run.stdout()).toBe('');
    const report = readReport(resultsDir, listResults(resultsDir).runs[0]!);
    expect(report.status).toBe('interrupted');
    expect(report.models.map((m) => [m.id, m.status === 'not-run' && m.reason.kind])).toEqual([
      ['fault-slow', 'aborted'],
      ['svm', 'aborted'],
    ]);
    expect(report.models[1]).toMatchObject({ reason: { message: 'the run was interrupted before this task started' } });
  });

  it('Ctrl-C under `npm run` (one SIGINT from the terminal, one forwarded by npm) is one interrupt', async () => {
    const { run, resultsDir } = await startBusyRun('fault-slow,svm');
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 130, signal: null });
    expect(readReport(resultsDir, listResults(resultsDir).runs[0]!).status).toBe('interrupted');
  });

  it('a second Ctrl-C ends the process at once, even with a worker stuck in a native call', async () => {
    const { run, resultsDir } = await startBusyRun('fault-blocking,svm');
    run.child.kill('SIGINT');
    // The first one writes the report, but the process cannot end while the blocked thread lives
    // (its sleep lasts 20 s).
    await waitUntil('the partial report is written', () => listResults(resultsDir).runs.length === 1);
    expect(run.child.exitCode).toBe(null);
    // Signals within SAME_INTERRUPT_MS of the first are taken for echoes of it.
    await sleep(SAME_INTERRUPT_MS + 500);
    const sent = Date.now();
    run.child.kill('SIGINT');
    const exit = await run.exited;
    // Ended by the signal itself, which a shell reports as status 130.
    expect(exit).toEqual({ code: null, signal: 'SIGINT' });
    expect(Date.now() - sent).toBeLessThan(15_000);
    expect(readReport(resultsDir, listResults(resultsDir).runs[0]!).status).toBe('interrupted');
  });
});

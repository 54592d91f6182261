// A model that throws, exits its worker, exhausts memory or never returns is its own row in the
// report, with the cause; every other model finishes exactly as it would without it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelReport, Report } from '../src/results/report.js';
import { fixture, runCli, tempDir, train } from './support/helpers.js';

const faulty = fixture('models/faulty.mjs');
const healthy = ['logistic-regression', 'random-forest', 'svm'];

/** What a model's row says about its results (timings aside, which vary run to run). */
const outcome = (m: ModelReport | undefined) =>
  m?.status === 'ok'
    ? { params: m.params, cv: m.cv && { ...m.cv, fitMs: undefined }, metrics: m.metrics, predictions: m.predictions }
    : m;
const byId = (report: Report | undefined, id: string) => report?.models.find((m) => m.id === id);

describe('faulty models beside healthy ones, through --model-module', () => {
  it('each fault is reported with its cause; the healthy models match a run without the faulty ones', async () => {
    const common = ['--model-module', faulty, '--cv', '3'];
    const [mixed, alone] = await Promise.all([
      train([
        ...common,
        '--models',
        ['fault-throws', ...healthy.slice(0, 2), 'fault-exit', 'fault-oom', healthy[2], 'fault-loop'].join(','),
        // Generous: neither a healthy fit nor the out-of-memory fault (which takes a few
        // collections, slow on a loaded machine) may ever come near it.
        '--timeout',
        '8',
        '--max-memory-mb',
        '32',
      ]),
      train([...common, '--models', healthy.join(',')]),
    ]);
    expect(mixed.code).toBe(1);
    expect(alone.code).toBe(0);
    expect(mixed.report!.status).toBe('complete');
    const causes = Object.fromEntries(
      mixed
        .report!.models.filter((m) => m.status === 'failed')
        .map((m) => [m.id, m.status === 'failed' && m.error.kind]),
    );
    expect(causes).toEqual({
      'fault-throws': 'threw',
      'fault-exit': 'crashed',
      'fault-oom': 'out-of-memory',
      'fault-loop': 'timeout',
    });
    for (const id of Object.keys(causes))
      expect(byId(mixed.report, id)).toMatchObject({
        error: { task: expect.stringMatching(/^(cv fold \d|final fit)$/) },
      });
    for (const id of healthy) {
      expect(byId(mixed.report, id)?.status).toBe('ok');
      expect(outcome(byId(mixed.report, id))).toEqual(outcome(byId(alone.report, id)));
    }
  });

  it('messages name the cause and the flag that governs it', async () => {
    const message = (report: Report | undefined, id: string) => {
      const m = byId(report, id);
      return m?.status === 'failed' ? m.error.message : undefined;
    };
    const [faults, loop] = await Promise.all([
      train(['--model-module', faulty, '--models', 'fault-exit,fault-oom', '--max-memory-mb', '48']),
      // The busy loop alone: a short timeout then concerns nothing else.
      train(['--model-module', faulty, '--models', 'fault-loop', '--timeout', '1']),
    ]);
    expect(message(faults.report, 'fault-exit')).toMatch(/worker thread exited with code 7/);
    expect(message(faults.report, 'fault-oom')).toMatch(/ran out of memory \(--max-memory-mb 48\)/);
    expect(message(loop.report, 'fault-loop')).toMatch(/no result after 1 s \(--timeout\)/);
  });

  it('--help documents the reliability flags and the exit statuses', async () => {
    const run = await runCli('train', ['--help']);
    expect(run.code).toBe(0);
    for (const words of ['--timeout <seconds>', '--max-memory-mb <n>', '--retries <n>', '130', '143'])
      expect(run.stdout).toContain(words);
  });

  it('bad reliability flags are one-line usage errors, exit 2, nothing written', async () => {
    for (const [flag, value, words] of [
      ['--timeout', '0', '--timeout must be a number of seconds above 0'],
      ['--timeout', 'soon', '--timeout must be a number of seconds above 0'],
      ['--max-memory-mb', '8', '--max-memory-mb must be a whole number from 16'],
      ['--retries', '-1', '--retries must be a whole number from 0'],
    ] as const) {
      const run = await train([flag, value]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(words);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.runs).toEqual([]);
    }
  });
});

describe('a failed task fails its candidate at once', () => {
  it("the candidate's tasks not yet started are withdrawn, and the cause reported is the real one", async () => {
    const started = join(tempDir('trainpool-marker-'), 'started');
    // One thread: the final fit (the costliest task) runs first and throws; the five folds queued
    // beside it never start.
    const { report } = await train(
      ['--model-module', faulty, '--models', 'fault-throws', '--cv', '5', '--threads', '1'],
      {
        TRAINPOOL_STARTED_MARKER: started,
      },
    );
    expect(readFileSync(started, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(report!.models[0]).toMatchObject({
      status: 'failed',
      error: { kind: 'threw', name: 'TypeError', message: 'deliberate fault: fit() threw', task: 'final fit' },
    });
    expect(report!.models[0]).not.toHaveProperty('cv');
  });
});

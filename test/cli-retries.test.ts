// --retries re-runs a task whose worker crashed, on a fresh worker, and the report says how many
// tries it took; a model that throws is never retried.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir, train } from './support/helpers.js';

const faulty = fixture('models/faulty.mjs');
const marker = () => join(tempDir('trainpool-marker-'), 'crashed');

describe('--retries', () => {
  it('a worker that crashes once: the task succeeds on the second try, recorded as 2 attempts', async () => {
    const file = marker();
    const run = await train(['--model-module', faulty, '--models', 'fault-crash-once,svm', '--retries', '1'], {
      TRAINPOOL_CRASH_MARKER: file,
    });
    expect(run.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^crashed by pid/);
    const [crashOnce, svm] = run.report!.models;
    expect(crashOnce).toMatchObject({ id: 'fault-crash-once', status: 'ok', attempts: 2 });
    expect(svm).toMatchObject({ id: 'svm', status: 'ok' });
    expect(svm).not.toHaveProperty('attempts');
  });

  it('without --retries the same crash is the model’s failed row', async () => {
    const file = marker();
    const run = await train(['--model-module', faulty, '--models', 'fault-crash-once'], {
      TRAINPOOL_CRASH_MARKER: file,
    });
    expect(run.code).toBe(1);
    expect(existsSync(file)).toBe(true);
    expect(run.report!.models[0]).toMatchObject({ status: 'failed', error: { kind: 'crashed', task: 'final fit' } });
    expect(run.report!.models[0]).not.toHaveProperty('attempts');
  });

  it('a crash every time uses every try; a throw is not retried', async () => {
    const run = await train(['--model-module', faulty, '--models', 'fault-exit,fault-throws', '--retries', '2']);
    expect(run.code).toBe(1);
    const [exit, throws] = run.report!.models;
    expect(exit).toMatchObject({ id: 'fault-exit', status: 'failed', attempts: 3, error: { kind: 'crashed' } });
    expect(throws).toMatchObject({ id: 'fault-throws', status: 'failed', error: { kind: 'threw' } });
    expect(throws).not.toHaveProperty('attempts');
  });
});

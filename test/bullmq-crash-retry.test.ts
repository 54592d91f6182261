import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCluster } from './cluster.js';
import { fixture, tempDir, train } from './helpers.js';

describe('--backend bullmq: a worker thread that dies', () => {
  it('is tried again after a backoff (3 attempts); a task that dies every time is a crashed row', async () => {
    const env = { CRASH_ONCE_MARKER: join(tempDir(), 'crashed') };
    const cluster = await startCluster(1, ['--concurrency', '1'], env);
    const run = await train(
      [
        '--backend',
        'bullmq',
        '--redis',
        cluster.redis.url,
        '--models',
        'crash-once,always-crash',
        '--model-module',
        fixture('models/crash-once.mjs'),
      ],
      env,
    );
    expect(run.code).toBe(1);
    const [once, always] = run.report!.models;
    expect(once).toMatchObject({ id: 'crash-once', status: 'ok' });
    expect(always).toMatchObject({
      id: 'always-crash',
      status: 'failed',
      error: { kind: 'crashed', task: 'final fit' },
    });
    expect(always?.status === 'failed' && always.error.message).toMatch(/exit.*3.*\(on each of 3 attempts\)$/);
    // The worker survived all of it.
    expect(cluster.workers[0]!.child.exitCode).toBe(null);
  }, 240_000);
});

// Ctrl-C on a coordinator of the BullMQ backend: the run stops as on the local pool (partial
// report, status "interrupted", exit 130), its task running on a worker is aborted there, and
// nothing of the run stays in Redis. The worker goes on serving.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startCluster } from './support/cluster.js';
import { fixture, tempDir, train } from './support/helpers.js';
import { listResults, readReport, start, waitUntil } from './support/processes.js';

describe('Ctrl-C on a --backend bullmq coordinator', () => {
  it('writes the partial report, exits 130, and takes the run out of Redis and off the worker', async () => {
    const started = join(tempDir('trainpool-marker-'), 'started');
    const faulty = fixture('models/faulty.mjs');
    const cluster = await startCluster(1, ['--concurrency', '2', '--model-module', faulty], {
      TRAINPOOL_STARTED_MARKER: started,
    });
    const resultsDir = tempDir();
    const args = ['--results-dir', resultsDir, '--model-module', faulty, '--models', 'fault-slow,svm'];
    const run = start('train', ['--backend', 'bullmq', '--redis', cluster.redis.url, ...args]);
    // fault-slow fits for a minute on the worker; svm finishes beside it.
    await waitUntil(
      'svm has finished and the slow model fits',
      () => /✓ svm/.test(run.stdout()) && existsSync(started),
    );
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 130, signal: null });
    expect(run.stderr()).toContain('train: Ctrl-C: stopping');

    const { runs } = listResults(resultsDir);
    const report = readReport(resultsDir, runs[0]!);
    expect(report.status).toBe('interrupted');
    expect(report.models).toMatchObject([
      { id: 'fault-slow', status: 'not-run', reason: { kind: 'aborted', message: 'the run was interrupted (SIGINT)' } },
      { id: 'svm', status: 'ok' },
    ]);

    const redis = new Redis(cluster.redis.url);
    try {
      // Well before the minute the slow fit would take: the worker aborted it.
      const deadline = Date.now() + 30_000;
      let counts: number[] = [];
      do {
        counts = await Promise.all([
          redis.llen('trainpool:tasks:wait'),
          redis.llen('trainpool:tasks:active'),
          redis.zcard('trainpool:tasks:completed'),
          redis.zcard('trainpool:tasks:failed'),
        ]);
        if (counts.every((n) => n === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } while (Date.now() < deadline);
      expect(counts).toEqual([0, 0, 0, 0]);
    } finally {
      redis.disconnect();
    }
    // The worker is still there and trains the next run.
    const next = await train(['--backend', 'bullmq', '--redis', cluster.redis.url, '--models', 'svm']);
    expect(next.code).toBe(0);
  }, 240_000);
});

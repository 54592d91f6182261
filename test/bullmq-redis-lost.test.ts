import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startCluster } from './support/cluster.js';
import { fixture, train } from './support/helpers.js';

describe('--backend bullmq: Redis goes away mid-run', () => {
  it('the coordinator reports the unfinished tasks as failed with one clear line; the worker stops', async () => {
    const cluster = await startCluster(1, [
      '--concurrency',
      '1',
      '--redis-grace',
      '3',
      '--model-module',
      fixture('models/slow.mjs'),
    ]);
    const watcher = new Redis(cluster.redis.url);
    let active = false;
    // slow-centroid fits for ten minutes: the run cannot finish unless Redis' loss is noticed.
    const run = train(
      [
        '--backend',
        'bullmq',
        '--redis',
        cluster.redis.url,
        '--models',
        'slow-centroid,svm',
        '--model-module',
        fixture('models/slow.mjs'),
      ],
      { SLOW_CENTROID_DELAY_MS: '600000' },
    );
    try {
      const deadline = Date.now() + 60_000;
      while (!active && Date.now() < deadline) {
        active = (await watcher.llen('trainpool:tasks:active')) > 0;
        if (!active) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      watcher.disconnect();
    }
    expect(active).toBe(true);
    await cluster.redis.stop(true);

    const { code, stderr, report } = await run;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^train: error: lost the connection to Redis at ${cluster.redis.url} \\(.+\\) for 10 s; \\d unfinished tasks? reported as failed \\(train --resume latest runs them once Redis is fixed\\)\\n$`,
      ),
    );
    const slow = report!.models.find((m) => m.id === 'slow-centroid');
    expect(slow).toMatchObject({ status: 'failed', error: { kind: 'crashed', name: 'RedisError' } });

    const worker = cluster.workers[0]!;
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toMatch(/worker: error: lost the connection to Redis at .* for 3 s; stopping/);
  }, 240_000);
});

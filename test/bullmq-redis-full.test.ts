// Redis that cannot keep what the run writes: one that would evict keys when full is refused at
// start with the setting to change; one that reaches maxmemory mid-run (every write refused, a
// running job that can never be recorded) ends the wait after the grace period with one line,
// and the report of what finished is written.
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startCluster } from './support/cluster.js';
import { startRedisServer } from './support/local-cluster.js';
import { fixture, runCli, tempDir, train } from './support/helpers.js';

describe('--backend bullmq with a Redis that is, or becomes, full', () => {
  it('a Redis whose maxmemory-policy evicts keys is a one-line usage error for train and worker', async () => {
    const redis = await startRedisServer();
    onTestFinished(() => redis.stop(true));
    const client = new Redis(redis.url);
    onTestFinished(() => client.disconnect());
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const hint =
      'Redis evicts keys when it is full (maxmemory-policy allkeys-lru), which would silently drop queued tasks and their results; set maxmemory-policy noeviction (redis-cli config set maxmemory-policy noeviction, or in redis.conf)';
    const coordinator = await runCli('train', [
      '--backend',
      'bullmq',
      '--redis',
      redis.url,
      '--results-dir',
      tempDir(),
    ]);
    expect(coordinator.code).toBe(2);
    expect(coordinator.stderr).toBe(`train: error: --redis ${redis.url}: ${hint}\n`);
    const worker = await runCli('worker', ['--redis', redis.url]);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toBe(`worker: error: --redis ${redis.url}: ${hint}\n`);
  });

  it('maxmemory reached with a job running: the tasks fail after the grace period with one line, the report is written', async () => {
    const slow = fixture('models/slow.mjs');
    const cluster = await startCluster(1, ['--concurrency', '1', '--redis-grace', '5', '--model-module', slow]);
    const client = new Redis(cluster.redis.url);
    onTestFinished(() => client.disconnect());
    const run = train(
      ['--backend', 'bullmq', '--redis', cluster.redis.url, '--models', 'slow-centroid,knn', '--model-module', slow],
      // Ten minutes: only a wait with a deadline ends this run within the test's time.
      { SLOW_CENTROID_DELAY_MS: '600000' },
    );
    const deadline = Date.now() + 60_000;
    while ((await client.llen('trainpool:tasks:active')) === 0) {
      if (Date.now() > deadline) throw new Error('no task started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.config('SET', 'maxmemory', '100000');

    const { code, stderr, report } = await run;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^train: error: Redis at ${cluster.redis.url} refused every write \\(maxmemory reached: OOM .*\\) for 10 s; \\d unfinished tasks? reported as failed.*\\n$`,
      ),
    );
    const slowRow = report!.models.find((m) => m.id === 'slow-centroid');
    expect(slowRow).toMatchObject({ status: 'failed', error: { kind: 'crashed', name: 'RedisError' } });
    expect(await cluster.workers[0]!.exited).toBe(1);
    expect(cluster.workers[0]!.output()).toMatch(/worker: error: Redis at .* refused every write \(maxmemory reached/);
  }, 240_000);
});

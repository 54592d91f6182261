import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { outcome, startCluster } from './support/cluster.js';
import { train } from './support/helpers.js';

describe('--backend bullmq: two coordinators on one Redis at the same time', () => {
  it('each gets its own results (equal to its local run), and neither leaves jobs behind', async () => {
    const cluster = await startCluster(2, ['--concurrency', '1']);
    const args = (seed: number) => ['--cv', '3', '--models', 'logistic-regression,svm', '--seed', String(seed)];
    const remote = (seed: number) => train(['--backend', 'bullmq', '--redis', cluster.redis.url, ...args(seed)]);
    const [a, b, localA, localB] = await Promise.all([remote(1), remote(2), train(args(1)), train(args(2))]);
    expect([a.code, b.code]).toEqual([0, 0]);
    // Different seeds, different folds and predictions: a mixed-up result could not go unnoticed.
    expect(outcome(localA.report)).not.toEqual(outcome(localB.report));
    expect(outcome(a.report)).toEqual(outcome(localA.report));
    expect(outcome(b.report)).toEqual(outcome(localB.report));

    const redis = new Redis(cluster.redis.url);
    try {
      const counts = await Promise.all([
        redis.llen('trainpool:tasks:wait'),
        redis.llen('trainpool:tasks:active'),
        redis.zcard('trainpool:tasks:completed'),
        redis.zcard('trainpool:tasks:failed'),
      ]);
      expect(counts).toEqual([0, 0, 0, 0]);
      // One data set, stored once for both runs.
      expect(await redis.keys('trainpool-data:*')).toEqual([`trainpool-data:${a.report!.dataset.sha256}`]);
    } finally {
      redis.disconnect();
    }
  }, 240_000);
});

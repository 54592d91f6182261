import { describe, expect, it } from 'vitest';
import { outcome, startCluster } from './support/cluster.js';
import { fixture, train } from './support/helpers.js';

describe('--backend bullmq: a CV run on two worker processes through a real redis-server', () => {
  it('gives exactly the metrics, predictions and folds of the same run on the local pool', async () => {
    // A TypeScript --model-module too: each worker is given it on its own command line.
    const cluster = await startCluster(2, ['--concurrency', '1', '--model-module', fixture('models/majority.ts')]);
    // A CSV data set: the coordinator parses it, the workers get it from Redis by its hash.
    const args = ['--dataset', fixture('csv/wine.csv'), '--cv', '5', '--model-module', fixture('models/majority.ts')];
    const [local, remote] = await Promise.all([
      train(args),
      train(['--backend', 'bullmq', '--redis', cluster.redis.url, ...args]),
    ]);
    expect(local.code).toBe(0);
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(0);
    const ids = local.report!.models.map((m) => m.id);
    expect(ids).toContain('majority');
    expect(remote.report!.models.map((m) => [m.id, m.status])).toEqual(ids.map((id) => [id, 'ok']));
    expect(outcome(remote.report)).toEqual(outcome(local.report));
    expect(remote.report!.cv).toEqual(local.report!.cv);
    expect(remote.report!.dataset.sha256).toBe(local.report!.dataset.sha256);
    // The workers' threads, as they announced them.
    expect(remote.report!.threads).toBe(2);
  }, 180_000);
});

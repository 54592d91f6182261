import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { BullmqExecutor } from '../src/execution/bullmq/coordinator.js';
import { loadIris } from '../src/data/iris.js';
import { toDataRef } from '../src/train/plan.js';
import type { TrainTask } from '../src/execution/protocol.js';
import { startCluster } from './support/cluster.js';
import { fixture } from './support/helpers.js';

const data = toDataRef(loadIris());
const slow = (delayMs: number): TrainTask => ({
  kind: 'train',
  modelId: 'slow-centroid',
  params: { delayMs },
  preprocess: 'none',
  seed: 1,
  data,
  train: Array.from({ length: 150 }, (_, i) => i).filter((i) => i % 5 !== 0),
  test: Array.from({ length: 30 }, (_, i) => i * 5),
  modules: [fixture('models/slow.mjs')],
  keepModel: false,
});

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('BullmqExecutor: the abort signal the train command passes on Ctrl-C', () => {
  it('removes the waiting jobs, stops the running one on its worker, and leaves nothing behind', async () => {
    const cluster = await startCluster(1, ['--concurrency', '1', '--model-module', fixture('models/slow.mjs')]);
    const redis = new Redis(cluster.redis.url);
    const executor = await BullmqExecutor.connect({ url: cluster.redis.url, retries: 0 });
    try {
      const controller = new AbortController();
      // Ten minutes each: only a cancellation ends the running one within the test's time.
      const results = Array.from({ length: 4 }, () => executor.run(slow(600_000), controller.signal));
      await until('one task runs and three wait', async () => {
        const [active, waiting] = await Promise.all([
          redis.llen('trainpool:tasks:active'),
          redis.llen('trainpool:tasks:wait'),
        ]);
        return active === 1 && waiting === 3;
      });
      controller.abort();
      for (const result of await Promise.all(results))
        expect(result).toMatchObject({ status: 'not-run', reason: { kind: 'aborted' } });
      await until('the queue is empty and the cancelled job is gone', async () => {
        const counts = await Promise.all([
          redis.llen('trainpool:tasks:active'),
          redis.llen('trainpool:tasks:wait'),
          redis.zcard('trainpool:tasks:completed'),
          redis.zcard('trainpool:tasks:failed'),
        ]);
        return counts.every((n) => n === 0);
      });
      // The worker's thread was replaced: it trains the next task.
      expect(await executor.run(slow(0))).toMatchObject({ status: 'ok' });
    } finally {
      await executor.close();
      redis.disconnect();
    }
  }, 240_000);
});

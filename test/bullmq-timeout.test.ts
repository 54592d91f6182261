import { describe, expect, it } from 'vitest';
import { BullmqExecutor } from '../src/cluster/executor.js';
import { loadIris } from '../src/data/iris.js';
import { toDataRef } from '../src/run.js';
import type { TrainTask } from '../src/types.js';
import { startCluster } from './cluster.js';
import { fixture } from './helpers.js';

const data = toDataRef(loadIris());
const slow = (delayMs: number): TrainTask => ({
  kind: 'train',
  modelId: 'slow-centroid',
  params: { delayMs },
  preprocess: 'none',
  seed: 1,
  data,
  train: Array.from({ length: 120 }, (_, i) => i),
  test: Array.from({ length: 30 }, (_, i) => 120 + i),
  modules: [fixture('models/slow.mjs')],
  keepModel: false,
});

describe('BullmqExecutor with a per-task timeout', () => {
  it('the worker terminates a task that runs too long: a timeout row; the next task trains', async () => {
    const cluster = await startCluster(1, ['--concurrency', '1']);
    const executor = await BullmqExecutor.connect({ url: cluster.redis.url, attempts: 3, timeoutMs: 2_000 });
    try {
      // Ten minutes: only the timeout ends it within the test's time. Not retried: not a crash.
      const result = await executor.run(slow(600_000));
      expect(result).toEqual({
        status: 'failed',
        error: { kind: 'timeout', name: 'TimeoutError', message: 'the task ran longer than 2 s' },
      });
      expect(await executor.run(slow(0))).toMatchObject({ status: 'ok', predictions: expect.any(Array) });
    } finally {
      await executor.close();
    }
  }, 240_000);
});

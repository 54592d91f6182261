// Each fault a model can cause, on the real piscina pool behind the ReliableExecutor: the task
// resolves with its cause, never rejects, and the pool goes on serving other tasks.
import { afterAll, describe, expect, it } from 'vitest';
import { loadIris } from '../src/data/iris.js';
import { builtinModels } from '../src/models/index.js';
import { PiscinaExecutor } from '../src/execution/piscina.js';
import { ReliableExecutor } from '../src/execution/reliability.js';
import { Scheduler } from '../src/execution/scheduler.js';
import { toDataRef } from '../src/train/plan.js';
import { stratifiedSplit } from '../src/ml/split.js';
import type { TrainTask } from '../src/execution/protocol.js';
import { fixture } from './support/helpers.js';

const iris = loadIris();
const { train, test } = stratifiedSplit(iris.labels, iris.classNames, 0.2, 42);
const task = (modelId: string): TrainTask => ({
  kind: 'train',
  modelId,
  params: builtinModels.find((def) => def.id === modelId)?.params ?? {},
  preprocess: 'none',
  seed: 42,
  data: toDataRef(iris),
  train,
  test,
  modules: [fixture('models/faulty.mjs')],
  keepModel: false,
});

// One pool, seen through executors with different timeouts: short for the busy loop, none where
// a loaded machine could make a healthy fit slow.
const pool = new PiscinaExecutor({ threads: 2, maxMemoryMb: 32 });
const executor = new ReliableExecutor(pool);
const timeouts = (timeoutMs: number) => new ReliableExecutor(pool, { timeoutMs });
afterAll(() => pool.close());

/** The pool still trains a real model correctly. */
async function healthy() {
  const result = await executor.run(task('svm'));
  expect(result.status).toBe('ok');
  expect(result.status === 'ok' && result.predictions).toHaveLength(test.length);
}

describe('faults on the real pool, each isolated to its task', () => {
  it.each([
    ['fault-throws', 'threw', /deliberate fault: fit\(\) threw/],
    ['fault-exit', 'crashed', /exited with code 7/],
    ['fault-oom', 'out-of-memory', /ran out of memory \(--max-memory-mb 32\)/],
    ['fault-loop', 'timeout', /no result after 1 s/],
  ])('%s fails as %s and the pool stays usable', async (modelId, kind, message) => {
    // Only the busy loop needs a timeout; elsewhere one could turn a slow fault into another kind.
    const result = await (modelId === 'fault-loop' ? timeouts(1000) : executor).run(task(modelId));
    expect(result).toMatchObject({ status: 'failed', error: { kind } });
    expect(result.status === 'failed' && result.error.message).toMatch(message);
    await healthy();
  });

  it('every fault at once, beside healthy tasks: the healthy ones all succeed', async () => {
    const ids = [
      'svm',
      'fault-exit',
      'random-forest',
      'fault-oom',
      'fault-loop',
      'logistic-regression',
      'fault-throws',
    ];
    // Generous: the out-of-memory fault takes a few collections, slow on a loaded machine. Through
    // the scheduler, as in a run: a task's clock starts when it has a thread.
    const scheduler = new Scheduler(timeouts(8000));
    const results = await Promise.all(ids.map((id) => scheduler.submit(task(id), 1)));
    expect(results.map((r) => (r.status === 'failed' ? r.error.kind : r.status))).toEqual([
      'ok',
      'crashed',
      'ok',
      'out-of-memory',
      'timeout',
      'ok',
      'threw',
    ]);
    await healthy();
  });

  it('an aborted task is stopped, even mid-loop, and reported as not run (aborted)', async () => {
    const controller = new AbortController();
    const running = executor.run(task('fault-loop'), controller.signal);
    setTimeout(() => controller.abort(new Error('stopped by the test')), 200);
    expect(await running).toMatchObject({
      status: 'not-run',
      reason: { kind: 'aborted', message: 'stopped by the test' },
    });
    await healthy();
  });

  it('a backend that rejects costs one task, not the run', async () => {
    const broken = new ReliableExecutor({
      concurrency: 1,
      run: () => Promise.reject(new Error('backend bug')),
      close: async () => {},
    });
    expect(await broken.run({ kind: 'ping' })).toMatchObject({
      status: 'failed',
      error: { kind: 'crashed', message: 'backend bug' },
    });
  });
});

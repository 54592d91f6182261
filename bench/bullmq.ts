// The BullMQ backend against the local pool, side by side in one run on a redis-server this
// section starts itself: the per-task overhead (no-op ping tasks through the scheduler), and the
// wall time of one CV workload on one and on two `npm run worker` processes.
import { loadavg } from 'node:os';
import { BullmqExecutor } from '../src/execution/bullmq/coordinator.js';
import {
  hasRedisServer,
  startRedisServer,
  startWorkerProcess,
  type WorkerProcess,
} from '../test/support/local-cluster.js';
import type { Executor } from '../src/execution/executor.js';
import { PiscinaExecutor } from '../src/execution/piscina.js';
import { Scheduler } from '../src/execution/scheduler.js';
import { evaluateModel } from '../src/train/evaluate-model.js';
import type { RunPlan } from '../src/train/plan.js';
import { cvWorkload } from './cv.js';
import type { BenchSection } from './section.js';

const THREADS = 2;

/** Milliseconds per task for `count` pings through the scheduler, after a warm-up. */
async function perTaskMs(executor: Executor, count: number): Promise<number> {
  const scheduler = new Scheduler(executor);
  const pings = (n: number) => Promise.all(Array.from({ length: n }, () => scheduler.submit({ kind: 'ping' }, 0)));
  await pings(Math.min(100, count));
  const start = performance.now();
  const results = await pings(count);
  const ms = (performance.now() - start) / count;
  if (results.some((r) => r.status !== 'ok')) throw new Error('a ping failed');
  return ms;
}

/**
 * Wall time of the workload through `executor`. One run: its tens of seconds dwarf what a thread
 * or a worker spends once on loading the model libraries or fetching the data.
 */
async function workloadSeconds(plan: RunPlan, executor: Executor): Promise<number> {
  const start = performance.now();
  const scheduler = new Scheduler(executor);
  const done = await Promise.all(plan.models.map((def) => evaluateModel(plan, def, scheduler)));
  const failed = done.find((d) => d.report.status === 'failed');
  if (failed) throw new Error(`bench workload failed: ${JSON.stringify(failed.report)}`);
  return (performance.now() - start) / 1000;
}

async function withExecutor<T>(executor: Executor, body: (e: Executor) => Promise<T>): Promise<T> {
  try {
    return await body(executor);
  } finally {
    await executor.close();
  }
}

const section: BenchSection = {
  id: 'bullmq',
  title: 'BullMQ backend (Redis) against the local worker-thread pool',
  async run(ctx) {
    if (!hasRedisServer()) {
      ctx.log('skipped: redis-server is not installed (Debian: apt-get install redis-server)');
      return { skipped: 'redis-server is not installed' };
    }
    const redis = await startRedisServer();
    const workers: WorkerProcess[] = [];
    const connect = () => BullmqExecutor.connect({ url: redis.url, retries: 0 });
    try {
      const pings = ctx.quick ? 300 : 2_000;
      ctx.log(`per-task overhead: ${pings} no-op tasks, ${THREADS} threads`);
      const piscinaMs = await withExecutor(new PiscinaExecutor({ threads: THREADS }), (e) => perTaskMs(e, pings));
      workers.push(await startWorkerProcess(redis.url, ['--concurrency', String(THREADS)]));
      const bullmqMs = await withExecutor(await connect(), (e) => perTaskMs(e, pings));
      await workers.pop()!.stop();
      ctx.log(`  piscina ${piscinaMs.toFixed(3)} ms/task, bullmq ${bullmqMs.toFixed(3)} ms/task`);
      ctx.log(`  bullmq / piscina: ${(bullmqMs / piscinaMs).toFixed(1)}x`);

      const plan = await cvWorkload(ctx.quick);
      const described = `5-fold CV of ${plan.models.map((d) => d.id).join(', ')} (the cv section's parameters) on ${plan.dataset.rows} x ${plan.dataset.cols}`;
      ctx.log(`CV workload (${described}): worker processes of 1 thread each`);
      const local1 = await withExecutor(new PiscinaExecutor({ threads: 1 }), (e) => workloadSeconds(plan, e));
      const local2 = await withExecutor(new PiscinaExecutor({ threads: 2 }), (e) => workloadSeconds(plan, e));
      workers.push(await startWorkerProcess(redis.url, ['--concurrency', '1']));
      const one = await withExecutor(await connect(), (e) => workloadSeconds(plan, e));
      workers.push(await startWorkerProcess(redis.url, ['--concurrency', '1']));
      const two = await withExecutor(await connect(), (e) => workloadSeconds(plan, e));
      ctx.log(`  local pool: 1 thread ${local1.toFixed(2)} s, 2 threads ${local2.toFixed(2)} s`);
      ctx.log(`  bullmq: 1 worker ${one.toFixed(2)} s, 2 workers ${two.toFixed(2)} s`);
      // The same doubling on both backends, under the same load: the cluster should scale as the pool does.
      ctx.log(
        `  speed-up from 1 to 2: bullmq ${(one / two).toFixed(2)}x, local pool ${(local1 / local2).toFixed(2)}x; bullmq / local at 2: ${(two / local2).toFixed(2)}x`,
      );
      // Other processes on the machine skew every figure here; the load says how much to trust them.
      const load = loadavg()[0]!;
      ctx.log(`  load average (1 min) at the end: ${load.toFixed(1)}`);
      return {
        redis: 'redis-server on loopback, no persistence',
        loadAverage: load,
        perTask: { tasks: pings, threads: THREADS, piscinaMs, bullmqMs, ratio: bullmqMs / piscinaMs },
        cvWorkload: {
          workload: described,
          localSeconds: { threads1: local1, threads2: local2 },
          bullmqSeconds: { workers1: one, workers2: two },
          speedupTwoWorkers: one / two,
          speedupTwoThreadsLocal: local1 / local2,
          bullmqOverLocal: two / local2,
        },
      };
    } finally {
      await Promise.all(workers.map((w) => w.stop('SIGKILL')));
      await redis.stop(true);
    }
  },
};

export default section;

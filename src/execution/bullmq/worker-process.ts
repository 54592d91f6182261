// The worker's side of the BullMQ backend. A BullMQ Worker takes jobs from Redis and hands each to
// a local PiscinaExecutor: the same compiled worker entry and the same runTask as a local run, on
// one thread per core. BullMQ's own sandboxed processors were the alternative; the local pool wins
// because its threads share one copy of each data set (SharedArrayBuffer, fetched once per hash),
// a crashed or timed-out thread is terminated and replaced exactly as in a local run, and this
// process's main thread stays free to renew job locks however long a fit computes.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import { PiscinaExecutor } from '../piscina.js';
import { createRegistry } from '../../models/registry.js';
import { ReliableExecutor } from '../reliability.js';
import { failure, type Task, type TaskResult } from '../protocol.js';
import { DataCache } from './data-store.js';
import { localModulePath } from './modules.js';
import {
  HEARTBEAT_MS,
  HEARTBEAT_TTL_SECONDS,
  keys,
  PREFIX,
  PROTOCOL,
  QUEUE,
  toWire,
  type CancelMessage,
  type JobData,
  type WireResult,
  type WorkerAnnouncement,
} from './wire.js';
import { connectRedis, duplicate, readyWithin, RedisWatch } from './redis.js';
import { displayUrl } from './redis-url.js';

export interface WorkerOptions {
  url: string;
  /** Worker threads, and jobs taken at once. */
  concurrency: number;
  /** Cap on each thread's JavaScript heap (the local pool's --max-memory-mb). */
  maxMemoryMb?: number;
  /** Absolute paths of --model-module files, checked at start. */
  modules: string[];
  /** BullMQ lock duration: a job whose worker stops renewing its lock for this long is stalled. */
  lockDurationMs: number;
  /** How often this worker looks for stalled jobs (of any worker) to put back in the queue. */
  stalledIntervalMs: number;
  /** How long Redis may be unreachable before the worker gives up. */
  graceMs: number;
  log(line: string): void;
}

export interface RunningWorker {
  id: string;
  /** Resolves with the exit status: 1 when Redis was lost for good. */
  done: Promise<number>;
  /** Stops taking jobs; waits for the running ones unless `force`. */
  stop(force: boolean): Promise<void>;
}

/** A job that stalls (its worker died) this many times fails instead of going back again. */
const MAX_STALLED = 2;

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const redis = await connectRedis(options.url);
  try {
    // Bad modules stop the worker here, with the file and the problem, not later on every job.
    await createRegistry(options.modules);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const id = `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const pool = new PiscinaExecutor({
    threads: options.concurrency,
    ...(options.maxMemoryMb === undefined ? {} : { maxMemoryMb: options.maxMemoryMb }),
  });
  const cache = new DataCache(redis);
  const where = displayUrl(options.url);
  /** Jobs the coordinator cancelled while they ran. */
  const cancelled = new Set<string>();

  const processor = async (
    job: Job<JobData, WireResult>,
    _token?: string,
    signal?: AbortSignal,
  ): Promise<TaskResult> => {
    const data = job.data;
    if (data.protocol !== PROTOCOL)
      return failure(
        'threw',
        new Error(
          `worker ${id} speaks protocol ${PROTOCOL}, the coordinator ${data.protocol}; run the same version of trainpool on both`,
        ),
      );
    let task: Task;
    if (data.task.kind === 'ping') task = data.task;
    else {
      try {
        task = {
          ...data.task,
          data: await cache.resolve(data.task.data),
          modules: data.task.modules.map((m) => localModulePath(m, options.modules)),
        };
      } catch (error) {
        return failure('threw', error);
      }
    }
    // The coordinator's timeout and retries, kept here by the same mechanism as a local run's.
    const reliable = new ReliableExecutor(pool, {
      retries: data.retries ?? 0,
      ...(data.timeoutMs === undefined ? {} : { timeoutMs: data.timeoutMs }),
    });
    const result = await reliable.run(task, signal);
    // Nobody waits for a cancelled task: its job is removed once BullMQ has recorded the result.
    if (signal?.aborted && job.id !== undefined) cancelled.add(job.id);
    // Tries as the report counts them, runs cut short by a worker process that died included.
    const tries = (result.attempts ?? 1) + Math.max(0, job.attemptsStarted - 1);
    return tries > 1 ? { ...result, attempts: tries } : result;
  };

  const workerConnection = duplicate(redis);
  // A job's return value is stored as JSON: the probabilities go as a plain array.
  const worker = new Worker<JobData, WireResult>(
    QUEUE,
    async (job, token, signal) => toWire(await processor(job, token, signal)),
    {
      connection: workerConnection,
      prefix: PREFIX,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: MAX_STALLED,
      name: id,
      autorun: false,
    },
  );
  // Connection errors arrive here too; the watch below reports them once, not once per retry.
  worker.on('error', () => {});
  worker.on('completed', (job) => {
    if (job.id === undefined || !cancelled.delete(job.id)) return;
    void job.remove().catch(() => {});
  });

  const subscriber = duplicate(redis);
  await subscriber.subscribe(keys.cancel());
  subscriber.on('message', (_channel: string, text: string) => {
    try {
      const { jobIds } = JSON.parse(text) as CancelMessage;
      for (const jobId of jobIds) worker.cancelJob(jobId, 'the coordinator cancelled the task');
    } catch {
      // Not a message of ours.
    }
  });

  const announcement: WorkerAnnouncement = { id, host: hostname(), pid: process.pid, threads: options.concurrency };
  const announce = () =>
    redis
      .multi()
      .set(keys.worker(id), JSON.stringify(announcement), 'EX', HEARTBEAT_TTL_SECONDS)
      .sadd(keys.workers(), id)
      .exec()
      .catch(() => {});
  await announce();
  const heartbeat = setInterval(() => void announce(), HEARTBEAT_MS);

  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  let stopping: Promise<void> | undefined;

  const stop = (force: boolean, code = 0): Promise<void> => {
    if (stopping && !force) return stopping;
    stopping = (async () => {
      clearInterval(heartbeat);
      watch.stop();
      await worker.close(force).catch(() => {});
      if (redis.status === 'ready')
        await redis
          .multi()
          .del(keys.worker(id))
          .srem(keys.workers(), id)
          .exec()
          .catch(() => {});
      await pool.close();
      subscriber.disconnect();
      workerConnection.disconnect();
      redis.disconnect();
      finish(code);
    })();
    return stopping;
  };

  const watch = new RedisWatch(
    redis,
    options.graceMs,
    (reason) => {
      process.stderr.write(
        `worker: error: lost the connection to Redis at ${where} (${reason}) for ${options.graceMs / 1000} s; stopping\n`,
      );
      void stop(true, 1);
    },
    (reason) => options.log(`worker ${id}: Redis at ${where} is unreachable (${reason}); waiting for it`),
    () => {
      options.log(`worker ${id}: Redis at ${where} is back`);
      void announce();
    },
  );

  void worker.run().catch(() => {});
  try {
    await readyWithin(worker.waitUntilReady(), options.url);
  } catch (error) {
    void stop(true, 2);
    throw error;
  }
  options.log(
    `worker ${id}: taking tasks from ${where} with ${options.concurrency} thread${options.concurrency === 1 ? '' : 's'}`,
  );
  return { id, done, stop: (force) => stop(force) };
}

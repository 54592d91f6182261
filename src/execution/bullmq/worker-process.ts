// The worker's side of the BullMQ backend. A BullMQ Worker takes jobs from Redis and hands each to
// a local PiscinaExecutor: the same compiled worker entry and the same runTask as a local run, on
// one thread per core. BullMQ's own sandboxed processors were the alternative; the local pool wins
// because its threads share one copy of each data set (SharedArrayBuffer, fetched once per hash),
// a crashed or timed-out thread is terminated and replaced exactly as in a local run, and this
// process's main thread stays free to renew job locks however long a fit computes.
// A job is checked before anything runs: its shape (wire.ts), its protocol, its signature when this
// worker has TRAINPOOL_SECRET, and the modules it names, which must be among this worker's own
// --model-module files (modules.ts). A job that fails a check is refused: it fails in BullMQ with
// a one-line reason, which its coordinator reports.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { PiscinaExecutor } from '../piscina.js';
import { loadRegistry } from '../../models/registry.js';
import { toWire } from '../result-check.js';
import { ReliableExecutor } from '../reliability.js';
import { failure, type Task, type TaskResult } from '../protocol.js';
import { contentSha256, DataCache } from './data-store.js';
import { WorkerModules } from './modules.js';
import { secretFromEnv, sign, signatureProblem } from './sign.js';
import {
  HEARTBEAT_MS,
  HEARTBEAT_TTL_SECONDS,
  jobDataSchema,
  keys,
  MAX_STALLED,
  PREFIX,
  PROTOCOL,
  QUEUE,
  type CancelMessage,
  type JobData,
  type JobReturn,
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
  /** The shared secret jobs must be signed with, and results are signed with (default: TRAINPOOL_SECRET). */
  secret?: string;
  log(line: string): void;
}

export interface RunningWorker {
  id: string;
  /** Resolves with the exit status: 1 when Redis was lost for good. */
  done: Promise<number>;
  /** Stops taking jobs; waits for the running ones unless `force`. */
  stop(force: boolean): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  // Bad modules stop the worker here, with the file and the problem, not later on every job.
  await loadRegistry(options.modules);
  const modules = WorkerModules.of(options.modules);
  const redis = await connectRedis(options.url);
  const secret = options.secret ?? secretFromEnv();
  const id = `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const pool = new PiscinaExecutor({
    threads: options.concurrency,
    ...(options.maxMemoryMb === undefined ? {} : { maxMemoryMb: options.maxMemoryMb }),
  });
  const cache = new DataCache(redis);
  const where = displayUrl(options.url);
  /** Jobs the coordinator cancelled while they ran. */
  const cancelled = new Set<string>();

  /** The job as this worker will run it, or an UnrecoverableError: BullMQ fails it at once, with the reason. */
  const admit = (job: Job): JobData => {
    const refuse = (reason: string) => {
      options.log(`worker ${id}: refused job ${job.id}: ${reason}`);
      return new UnrecoverableError(`worker ${id} refused the job: ${reason}`);
    };
    // Signed first: a job without the secret's signature is refused whatever else it says.
    const raw = (typeof job.data === 'object' && job.data !== null ? job.data : {}) as Partial<JobData>;
    if (secret !== undefined) {
      const { signature, ...signed } = raw;
      const problem = signatureProblem(secret, 'job', job.id ?? '', signed, signature);
      if (problem) throw refuse(problem);
    }
    const parsed = jobDataSchema.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw refuse(`it is not a trainpool job (${issue.path.join('.') || 'the job'}: ${issue.message})`);
    }
    const { signature: _signature, ...data } = parsed.data;
    if (data.protocol !== PROTOCOL)
      throw refuse(
        `this worker speaks protocol ${PROTOCOL}, the job ${data.protocol}; run the same version of trainpool on both`,
      );
    return data as JobData;
  };

  const processor = async (job: Job<JobData, JobReturn>, _token?: string, signal?: AbortSignal): Promise<JobReturn> => {
    const data = admit(job);
    const seal = (result: TaskResult, dataSha256?: string): JobReturn => {
      // As JSON stores it (the probabilities as a plain array): what is signed is what is stored.
      const signed = { result: toWire(result), ...(dataSha256 === undefined ? {} : { dataSha256 }) };
      return secret === undefined ? signed : { ...signed, signature: sign(secret, 'result', job.id ?? '', signed) };
    };
    let task: Task;
    if (data.task.kind === 'ping') task = data.task;
    else {
      try {
        task = {
          ...data.task,
          data: await cache.resolve(data.task.data),
          modules: data.task.modules.map((m) => modules.resolve(m)),
        };
      } catch (error) {
        // Not the model's doing (it never ran): a fault of this worker's setup, not a result to keep.
        return seal(failure('crashed', error));
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
    const counted = tries > 1 ? { ...result, attempts: tries } : result;
    return seal(counted, task.kind === 'train' && task.data.kind === 'shared' ? contentSha256(task.data) : undefined);
  };

  const workerConnection = duplicate(redis);
  const worker = new Worker<JobData, JobReturn>(QUEUE, processor, {
    connection: workerConnection,
    prefix: PREFIX,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: MAX_STALLED,
    name: id,
    autorun: false,
  });
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
    (trouble) => {
      process.stderr.write(`worker: error: ${trouble.lost(where)} for ${options.graceMs / 1000} s; stopping\n`);
      void stop(true, 1);
    },
    (trouble) => options.log(`worker ${id}: ${trouble.waiting(where)}`),
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
    `worker ${id}: taking tasks from ${where} with ${options.concurrency} thread${options.concurrency === 1 ? '' : 's'}${secret === undefined ? '' : '; only jobs signed with TRAINPOOL_SECRET'}`,
  );
  return { id, done, stop: (force) => stop(force) };
}

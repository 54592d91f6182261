// The coordinator's side of the BullMQ backend: an Executor whose tasks run on `npm run worker`
// processes anywhere that can reach the same Redis. The scheduler in front of it decides the order
// and keeps no more tasks in the queue than the workers have threads, so priorities hold, two
// coordinators on one Redis take turns, and an interrupted run has little to take back.
// Results come back through job.waitUntilFinished on one shared QueueEvents stream rather than a
// results queue of our own: the completion event carries the result, BullMQ checks the job's state
// after subscribing so a task that finishes at once is not missed, and a job that used up its
// attempts (or stalled too often) arrives as a rejection with BullMQ's reason.
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Executor } from '../executor.js';
import { failure, notRun, type SharedDataRef, type Task, type TaskResult } from '../protocol.js';
import { storeData, toHashRef } from './data-store.js';
import { portableModulePath } from './modules.js';
import {
  keys,
  PREFIX,
  PROTOCOL,
  QUEUE,
  fromWire,
  type CancelMessage,
  type JobData,
  type RemoteTask,
  type WorkerAnnouncement,
} from './wire.js';
import { connectRedis, duplicate, readyWithin, RedisWatch } from './redis.js';
import { displayUrl } from './redis-url.js';

export interface BullmqExecutorOptions {
  url: string;
  /** Extra tries for a task whose worker thread crashed, ran out of memory or timed out; on the worker. */
  retries: number;
  /** Per-task limit, enforced on the worker from the moment it starts the task. */
  timeoutMs?: number;
  /** How long Redis may be unreachable before the unfinished tasks fail. */
  graceMs?: number;
  /** Notes for the user (stderr); errors are printed whatever this is. */
  log?: (line: string) => void;
}

interface Outstanding {
  settle(result: TaskResult): void;
}

const WORKER_POLL_MS = 2_000;
const CLOSE_WAIT_MS = 3_000;

const lostFailure = (reason: string): TaskResult => ({
  status: 'failed',
  error: { kind: 'crashed', name: 'RedisError', message: reason },
});

/** Live workers and their threads, from their announcements; expired ones are forgotten. */
export async function liveWorkers(redis: Redis): Promise<WorkerAnnouncement[]> {
  const ids = await redis.smembers(keys.workers());
  if (ids.length === 0) return [];
  const values = await redis.mget(ids.map((id) => keys.worker(id)));
  const gone = ids.filter((_, i) => values[i] === null);
  if (gone.length > 0) await redis.srem(keys.workers(), ...gone);
  return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as WorkerAnnouncement);
}

export class BullmqExecutor implements Executor {
  private readonly runKey = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  private seq = 0;
  private readonly outstanding = new Map<string, Outstanding>();
  private readonly stored = new Map<string, Promise<void>>();
  /** Redis removals still on their way; close() waits for them. */
  private readonly pendingCleanup = new Set<Promise<unknown>>();
  private threads = 0;
  private lost: string | undefined;
  private closed = false;
  private readonly poll: NodeJS.Timeout;
  private readonly watch: RedisWatch;

  private constructor(
    private readonly options: BullmqExecutorOptions,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly eventsConnection: Redis,
  ) {
    // One listener per waiting task, by design.
    queue.setMaxListeners(0);
    events.setMaxListeners(0);
    // BullMQ reports connection trouble as 'error' events; the watch below decides what it means.
    queue.on('error', () => {});
    events.on('error', () => {});
    const where = displayUrl(options.url);
    this.watch = new RedisWatch(
      redis,
      options.graceMs ?? 10_000,
      (reason) => this.lose(`lost the connection to Redis at ${where} (${reason})`),
      (reason) => options.log?.(`bullmq: Redis at ${where} is unreachable (${reason}); waiting for it`),
      () => this.recover(),
    );
    this.poll = setInterval(() => void this.refreshWorkers().catch(() => {}), WORKER_POLL_MS);
    this.poll.unref();
  }

  /** Connects (a UsageError, exit 2, when Redis is unreachable) and reports the workers it sees. */
  static async connect(options: BullmqExecutorOptions): Promise<BullmqExecutor> {
    const redis = await connectRedis(options.url);
    const eventsConnection = duplicate(redis);
    const queue = new Queue(QUEUE, { connection: redis, prefix: PREFIX });
    // Short blocking reads: BullMQ's watchdog on each read would otherwise keep a coordinator
    // whose Redis is gone alive for 11 s after the run.
    const events = new QueueEvents(QUEUE, { connection: eventsConnection, prefix: PREFIX, blockingTimeout: 2_000 });
    // Listening before the first job is added: no completion can slip by unseen.
    try {
      await readyWithin(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), options.url);
    } catch (error) {
      void Promise.all([queue.close(), events.close()]).catch(() => {});
      redis.disconnect();
      eventsConnection.disconnect();
      throw error;
    }
    const executor = new BullmqExecutor(options, redis, queue, events, eventsConnection);
    const workers = await executor.refreshWorkers();
    const where = displayUrl(options.url);
    options.log?.(
      workers.length === 0
        ? `bullmq: no worker is connected to ${where} yet; tasks wait in the queue until one starts (npm run worker -- --redis ${where})`
        : `bullmq: ${workers.length} worker${workers.length === 1 ? '' : 's'} with ${executor.threads} thread${executor.threads === 1 ? '' : 's'} at ${where}`,
    );
    return executor;
  }

  /** The worker threads currently announced, at least 1 so that a run starts before its workers. */
  get concurrency(): number {
    return Math.max(1, this.threads);
  }

  private async refreshWorkers(): Promise<WorkerAnnouncement[]> {
    const workers = await liveWorkers(this.redis);
    this.threads = workers.reduce((sum, w) => sum + w.threads, 0);
    return workers;
  }

  private store(data: SharedDataRef): Promise<void> {
    let stored = this.stored.get(data.sha256);
    if (!stored) {
      stored = storeData(this.redis, data);
      stored.catch(() => this.stored.delete(data.sha256));
      this.stored.set(data.sha256, stored);
    }
    return stored;
  }

  private async jobData(task: Task): Promise<JobData> {
    let remote: RemoteTask;
    if (task.kind === 'ping') remote = task;
    else {
      if (task.data.kind === 'shared') await this.store(task.data);
      remote = { ...task, data: toHashRef(task.data), modules: task.modules.map(portableModulePath) };
    }
    return {
      protocol: PROTOCOL,
      run: this.runKey,
      task: remote,
      retries: this.options.retries,
      ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
    };
  }

  run(task: Task, signal?: AbortSignal): Promise<TaskResult> {
    if (this.lost !== undefined) return Promise.resolve(lostFailure(this.lost));
    if (this.closed) return Promise.resolve(notRun('aborted', 'the executor is closed'));
    if (signal?.aborted) return Promise.resolve(notRun('aborted', signal.reason));
    const id = `${this.runKey}-${++this.seq}`;
    return new Promise<TaskResult>((resolve) => {
      let settled = false;
      const onAbort = () => {
        settle(notRun('aborted', signal!.reason));
        this.cancel([id]);
      };
      const settle = (result: TaskResult) => {
        if (settled) return;
        settled = true;
        this.outstanding.delete(id);
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      this.outstanding.set(id, { settle });
      signal?.addEventListener('abort', onAbort, { once: true });

      void (async () => {
        const data = await this.jobData(task);
        const job: Job = await this.queue.add(task.kind, data, {
          jobId: id,
          // Retries are the worker's (ReliableExecutor, on a fresh thread, as locally); BullMQ
          // only puts back a job whose worker process died (its lock expired).
          attempts: 1,
          // The coordinator removes each job once it has the result; these bound what an
          // interrupted coordinator leaves behind.
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 24 * 3600 },
        });
        // Aborted while it was being added: take it back now that it exists.
        if (settled) return this.cancel([id]);
        const value: unknown = await job.waitUntilFinished(this.events);
        const parsed = fromWire(value);
        settle(
          parsed
            ? parsed
            : failure(
                'crashed',
                new Error(`the worker returned a result this coordinator does not understand; update its clone`),
              ),
        );
        this.cleanup(id);
      })().catch((error: unknown) => {
        // waitUntilFinished rejects with BullMQ's reason when the job failed for good (it stalled
        // too often: its workers kept dying) or when the queue closed under it.
        const message = error instanceof Error ? error.message : String(error);
        settle({ status: 'failed', error: { kind: 'crashed', name: 'WorkerError', message } });
        this.cleanup(id);
      });
    });
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => {});
    this.pendingCleanup.add(tracked);
    void tracked.finally(() => this.pendingCleanup.delete(tracked));
  }

  private cleanup(id: string): void {
    if (this.lost === undefined) this.track(this.queue.remove(id));
  }

  /** Removes jobs no worker has taken; asks the workers to abort those already running. */
  private cancel(ids: readonly string[]): void {
    if (this.lost !== undefined || ids.length === 0) return;
    this.track(
      (async () => {
        // remove() refuses a job a worker holds the lock of: those are running.
        const removed = await Promise.all(ids.map((id) => this.queue.remove(id)));
        const running = ids.filter((_, i) => removed[i] !== 1);
        if (running.length > 0) {
          const message: CancelMessage = { jobIds: running };
          await this.redis.publish(keys.cancel(), JSON.stringify(message));
        }
      })(),
    );
  }

  /** Redis came back within the grace period: jobs it forgot (a restart) fail rather than hang. */
  private recover(): void {
    this.options.log?.(`bullmq: Redis at ${displayUrl(this.options.url)} is back`);
    this.stored.clear();
    this.track(
      (async () => {
        for (const id of [...this.outstanding.keys()]) {
          const state = await this.queue.getJobState(id);
          if (state === 'unknown')
            this.outstanding
              .get(id)
              ?.settle(lostFailure('Redis lost this task (restarted without persistence?); start the run again'));
        }
      })(),
    );
  }

  private lose(reason: string): void {
    this.lost = reason;
    process.stderr.write(
      `train: error: ${reason}; ${this.outstanding.size} unfinished task${this.outstanding.size === 1 ? '' : 's'} reported as failed\n`,
    );
    for (const entry of [...this.outstanding.values()]) entry.settle(lostFailure(reason));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poll);
    const left = [...this.outstanding.keys()];
    for (const entry of [...this.outstanding.values()])
      entry.settle(notRun('aborted', 'the run ended before this task finished'));
    this.cancel(left);
    const settleWithin = (promise: Promise<unknown>) =>
      Promise.race([promise.catch(() => {}), new Promise((done) => setTimeout(done, CLOSE_WAIT_MS).unref())]);
    if (this.lost === undefined) await settleWithin(Promise.all(this.pendingCleanup));
    this.watch.stop();
    // Closing waits for Redis to answer: without Redis, the connections are just cut.
    const closing = Promise.all([this.events.close(), this.queue.close()]);
    if (this.lost === undefined) await settleWithin(closing);
    else closing.catch(() => {});
    this.redis.disconnect();
    this.eventsConnection.disconnect();
  }
}

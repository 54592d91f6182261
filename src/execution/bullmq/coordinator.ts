// The coordinator's side of the BullMQ backend: an Executor whose tasks run on `npm run worker`
// processes anywhere that can reach the same Redis. The scheduler in front of it decides the order
// and keeps no more tasks in the queue than the workers have threads, so priorities hold, two
// coordinators on one Redis take turns, and an interrupted run has little to take back.
// Results come back through job.waitUntilFinished on one shared QueueEvents stream rather than a
// results queue of our own: the completion event carries the result, BullMQ checks the job's state
// after subscribing so a task that finishes at once is not missed, and a job that used up its
// attempts (or stalled too often) arrives as a rejection with BullMQ's reason.
// A task's job id is its key (a hash of everything its result depends on): two coordinators that
// need the same task wait on one job, and a coordinator restarted with --resume collects the jobs
// that finished while it was gone. Each job records who waits on it; the last one to stop waiting
// removes it. Nothing read back from Redis is believed unchecked: the result must fit its task
// (result-check.ts), the worker must have trained on the bytes of this coordinator's data set, and
// with TRAINPOOL_SECRET the result must be signed for this very job (sign.ts).
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Executor } from '../executor.js';
import { failure, notRun, type SharedDataRef, type Task, type TaskResult } from '../protocol.js';
import { checkedResult, invalidResult, taskResultSchema } from '../result-check.js';
import { storeData, toHashRef } from './data-store.js';
import { moduleRef } from './modules.js';
import { secretFromEnv, sign, signatureProblem } from './sign.js';
import {
  HEARTBEAT_MS,
  HEARTBEAT_TTL_SECONDS,
  jobReturnSchema,
  keys,
  MAX_STALLED,
  PREFIX,
  PROTOCOL,
  QUEUE,
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
  /** How long Redis may be unreachable, or refuse writes, before the unfinished tasks fail. */
  graceMs?: number;
  /** The secret jobs are signed with and results must be signed with (default: TRAINPOOL_SECRET). */
  secret?: string;
  /** Notes for the user (stderr); errors are printed whatever this is. */
  log?: (line: string) => void;
}

interface Outstanding {
  jobId: string;
  settle(result: TaskResult): void;
}

const WORKER_POLL_MS = 2_000;
const CLOSE_WAIT_MS = 3_000;
/** How often the jobs waited on are looked for in Redis: one that vanished is put back. */
const SWEEP_MS = 5_000;
/** A job put back this many times (it keeps vanishing, or keeps coming back not run) fails. */
const MAX_RESUBMITS = 3;
/** Say so when tasks wait this long with no worker connected. */
const NO_WORKER_NOTE_MS = 30_000;
/** How long the waiters of a job and a finished job nobody collected stay: a resume within a day finds them. */
const KEEP_SECONDS = 24 * 3600;

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

/** The job id of a task: its key where it has one (BullMQ refuses ids that are integers or hold ':'). */
const jobIdOf = (task: Task, fallback: () => string) =>
  task.kind === 'train' && task.key !== undefined ? `task-${task.key}` : fallback();

export class BullmqExecutor implements Executor {
  private readonly runKey = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  private seq = 0;
  private readonly outstanding = new Set<Outstanding>();
  /**
   * Per job this coordinator waits on: its task (to put it back), how often it was put back, and
   * whether it may be shared (its id is the task's key; other ids are this coordinator's alone).
   */
  private readonly jobs = new Map<string, { task: Task; waiters: number; resubmits: number; shared: boolean }>();
  private readonly stored = new Map<string, Promise<void>>();
  /** Redis removals still on their way; close() waits for them. */
  private readonly pendingCleanup = new Set<Promise<unknown>>();
  private threads = 0;
  private lost: string | undefined;
  private closed = false;
  private noWorkerSince: number | undefined;
  private readonly poll: NodeJS.Timeout;
  private readonly sweeper: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly watch: RedisWatch;
  private readonly secret: string | undefined;

  private constructor(
    private readonly options: BullmqExecutorOptions,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly eventsConnection: Redis,
  ) {
    this.secret = options.secret ?? secretFromEnv();
    // One listener per waiting task, by design.
    queue.setMaxListeners(0);
    events.setMaxListeners(0);
    // BullMQ reports connection trouble as 'error' events; the watch below decides what it means.
    queue.on('error', () => {});
    events.on('error', () => {});
    const where = displayUrl(options.url);
    const grace = options.graceMs ?? 10_000;
    this.watch = new RedisWatch(
      redis,
      grace,
      (trouble) => this.lose(`${trouble.lost(where)} for ${grace / 1000} s`),
      (trouble) => options.log?.(`bullmq: ${trouble.waiting(where)}`),
      () => this.recover(),
    );
    this.poll = setInterval(() => void this.refreshWorkers().catch(() => {}), WORKER_POLL_MS);
    this.poll.unref();
    this.sweeper = setInterval(() => void this.sweep().catch(() => {}), SWEEP_MS);
    this.sweeper.unref();
    this.heartbeat = setInterval(() => void this.announce().catch(() => {}), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Says this coordinator lives: the jobs it waits on are not removed under it by another. */
  private announce(): Promise<unknown> {
    return this.redis.set(keys.coordinator(this.runKey), '1', 'EX', HEARTBEAT_TTL_SECONDS);
  }

  /** Connects (a UsageError, exit 2, when Redis is unreachable or unfit) and reports the workers it sees. */
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
    await executor.announce();
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
    // Tasks that wait with nobody to run them: said once per spell, never a failure.
    if (workers.length > 0 || this.outstanding.size === 0) this.noWorkerSince = undefined;
    else if (this.noWorkerSince === undefined) this.noWorkerSince = Date.now();
    else if (Date.now() - this.noWorkerSince >= NO_WORKER_NOTE_MS) {
      this.noWorkerSince = Infinity;
      this.options.log?.(
        `bullmq: ${this.outstanding.size} task${this.outstanding.size === 1 ? '' : 's'} wait and no worker is connected to ${displayUrl(this.options.url)}; start one (npm run worker -- --redis ${displayUrl(this.options.url)})`,
      );
    }
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

  private async jobData(task: Task, jobId: string): Promise<JobData> {
    let remote: RemoteTask;
    if (task.kind === 'ping') remote = task;
    else {
      if (task.data.kind !== 'shared') throw new Error('a task for another machine must hold its data set');
      await this.store(task.data);
      remote = { ...task, data: toHashRef(task.data), modules: task.modules.map(moduleRef) };
    }
    const data: JobData = {
      protocol: PROTOCOL,
      run: this.runKey,
      task: remote,
      retries: this.options.retries,
      ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
    };
    return this.secret === undefined ? data : { ...data, signature: sign(this.secret, 'job', jobId, data) };
  }

  /** Adds the job unless Redis has it; a failure kept from an earlier try is cleared and tried again. */
  private async submit(jobId: string, data: JobData, shared: boolean): Promise<Job> {
    if (shared && (await this.queue.getJobState(jobId)) === 'failed') await this.queue.remove(jobId);
    const options: JobsOptions = {
      jobId,
      // Retries are the worker's (ReliableExecutor, on a fresh thread, as locally); BullMQ
      // only puts back a job whose worker process died (its lock expired).
      attempts: 1,
      // The last coordinator waiting removes each job once it has the result; these bound what
      // coordinators that died leave behind, long enough for a resume to collect it.
      removeOnComplete: { age: KEEP_SECONDS },
      removeOnFail: { age: KEEP_SECONDS },
    };
    return this.queue.add(data.task.kind, data, options);
  }

  /** What the worker's answer says, once checked against this coordinator's own task and job id. */
  private believe(task: Task, jobId: string, value: unknown): TaskResult {
    const envelope = jobReturnSchema.safeParse(value);
    if (!envelope.success)
      return invalidResult(
        'the worker returned an answer this coordinator does not understand (another version of trainpool, or forged in Redis); it was refused',
      );
    const { signature, ...signed } = envelope.data;
    if (this.secret !== undefined) {
      const problem = signatureProblem(this.secret, 'result', jobId, signed, signature);
      if (problem) return invalidResult(`the result of this task is ${problem}; it was refused`);
    }
    if (task.kind === 'ping') {
      const parsed = taskResultSchema.safeParse(signed.result);
      return parsed.success ? (parsed.data as TaskResult) : invalidResult('the worker answered a ping with nonsense');
    }
    const ok = (signed.result as { status?: unknown } | null)?.status === 'ok';
    if (ok && task.data.kind === 'shared' && signed.dataSha256 !== toHashRef(task.data).content)
      return invalidResult(
        `the worker trained on other data than this coordinator's (its bytes hash to ${String(signed.dataSha256).slice(0, 12)}, ours to ${toHashRef(task.data).content.slice(0, 12)}); the result was refused`,
      );
    return checkedResult(task, signed.result, "the worker's result", this.options.retries + 1 + MAX_STALLED);
  }

  run(task: Task, signal?: AbortSignal): Promise<TaskResult> {
    if (this.lost !== undefined) return Promise.resolve(lostFailure(this.lost));
    if (this.closed) return Promise.resolve(notRun('aborted', 'the executor is closed'));
    if (signal?.aborted) return Promise.resolve(notRun('aborted', signal.reason));
    const jobId = jobIdOf(task, () => `${this.runKey}-${++this.seq}`);
    return new Promise<TaskResult>((resolve) => {
      let settled = false;
      /** Whether this wait counts among the job's waiters, here and in Redis. */
      let registered = false;
      const onAbort = () => {
        settle(notRun('aborted', signal!.reason));
      };
      const entry: Outstanding = {
        jobId,
        settle: (result) => settle(result),
      };
      const settle = (result: TaskResult) => {
        if (settled) return;
        settled = true;
        this.outstanding.delete(entry);
        signal?.removeEventListener('abort', onAbort);
        // Someone else may still wait on this job; the last one to stop waiting removes it.
        if (registered) this.release(jobId, result.status === 'not-run');
        resolve(result);
      };
      this.outstanding.add(entry);
      signal?.addEventListener('abort', onAbort, { once: true });

      void (async () => {
        const data = await this.jobData(task, jobId);
        if (settled) return;
        const shared = task.kind === 'train' && task.key !== undefined;
        const job = this.jobs.get(jobId) ?? { task, waiters: 0, resubmits: 0, shared };
        job.waiters += 1;
        this.jobs.set(jobId, job);
        registered = true;
        if (shared)
          await this.redis
            .multi()
            .sadd(keys.waiters(jobId), this.runKey)
            .expire(keys.waiters(jobId), KEEP_SECONDS)
            .exec();
        // Aborted meanwhile: settle() has released the wait, and nothing was added.
        if (settled) return;
        let added = await this.submit(jobId, data, shared);
        for (;;) {
          const value: unknown = await added.waitUntilFinished(this.events);
          if (settled) return;
          const result = this.believe(task, jobId, value);
          // Stopped by someone else (another coordinator that cancelled it as we arrived): put it back.
          if (result.status === 'not-run' && !this.closed && !signal?.aborted && job.resubmits < MAX_RESUBMITS) {
            job.resubmits += 1;
            await this.queue.remove(jobId);
            added = await this.submit(jobId, data, shared);
            continue;
          }
          return settle(result);
        }
      })().catch((error: unknown) => {
        // waitUntilFinished rejects with BullMQ's reason when the job failed for good (a worker
        // refused it, it stalled too often) or when the queue closed under it.
        const message = error instanceof Error ? error.message : String(error);
        settle({ status: 'failed', error: { kind: 'crashed', name: 'WorkerError', message } });
      });
    });
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => {});
    this.pendingCleanup.add(tracked);
    void tracked.finally(() => this.pendingCleanup.delete(tracked));
  }

  /**
   * One of this coordinator's waits on `jobId` ended. When it was the last wait of every
   * coordinator, the job goes: removed when finished or waiting, and a running one is asked to
   * stop when `cancel` (nobody wants its result any more).
   */
  private release(jobId: string, cancel: boolean): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    job.waiters -= 1;
    if (job.waiters > 0) return;
    this.jobs.delete(jobId);
    if (this.lost !== undefined) return;
    this.track(
      (async () => {
        if (job.shared) {
          // Coordinators that died waiting (killed, their heartbeat expired) wait on nothing.
          const others = (await this.redis.smembers(keys.waiters(jobId))).filter((k) => k !== this.runKey);
          const beats = others.length > 0 ? await this.redis.mget(others.map(keys.coordinator)) : [];
          const gone = others.filter((_, i) => beats[i] === null);
          await this.redis.srem(keys.waiters(jobId), this.runKey, ...gone);
          if (others.length > gone.length) return;
        }
        // remove() refuses a job a worker holds the lock of: that one is running.
        if ((await this.queue.remove(jobId)) === 1 || !cancel) return;
        const message: CancelMessage = { jobIds: [jobId] };
        await this.redis.publish(keys.cancel(), JSON.stringify(message));
      })(),
    );
  }

  /**
   * Puts back the jobs waited on that are no longer in Redis (removed by someone else, or lost by
   * a Redis restarted without persistence), a few times each; then they fail.
   */
  private async sweep(): Promise<void> {
    if (this.lost !== undefined || this.closed || this.watch.isDown || this.jobs.size === 0) return;
    for (const [jobId, job] of [...this.jobs]) {
      if ((await this.queue.getJobState(jobId)) !== 'unknown' || !this.jobs.has(jobId)) continue;
      if (job.resubmits >= MAX_RESUBMITS) {
        for (const entry of [...this.outstanding])
          if (entry.jobId === jobId)
            entry.settle(lostFailure('the job of this task kept vanishing from Redis (removed by something else?)'));
        continue;
      }
      job.resubmits += 1;
      // Its data set too, if Redis lost it. waitUntilFinished follows the id: the wait already
      // under way sees the new job finish.
      await this.submit(jobId, await this.jobData(job.task, jobId), job.shared);
    }
  }

  /** Redis came back within the grace period: what it forgot (a restart) is stored and queued again. */
  private recover(): void {
    this.options.log?.(`bullmq: Redis at ${displayUrl(this.options.url)} is back`);
    this.stored.clear();
    this.track(this.sweep());
  }

  private lose(reason: string): void {
    this.lost = reason;
    const n = this.outstanding.size;
    process.stderr.write(
      `train: error: ${reason}; ${n} unfinished task${n === 1 ? '' : 's'} reported as failed${n > 0 ? ' (train --resume latest runs them once Redis is fixed)' : ''}\n`,
    );
    for (const entry of [...this.outstanding]) entry.settle(lostFailure(reason));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poll);
    clearInterval(this.sweeper);
    clearInterval(this.heartbeat);
    for (const entry of [...this.outstanding])
      entry.settle(notRun('aborted', 'the run ended before this task finished'));
    const settleWithin = (promise: Promise<unknown>) =>
      Promise.race([promise.catch(() => {}), new Promise((done) => setTimeout(done, CLOSE_WAIT_MS).unref())]);
    if (this.lost === undefined) {
      this.track(this.redis.del(keys.coordinator(this.runKey)));
      await settleWithin(Promise.all(this.pendingCleanup));
    }
    this.watch.stop();
    // Closing waits for Redis to answer: without Redis, the connections are just cut.
    const closing = Promise.all([this.events.close(), this.queue.close()]);
    if (this.lost === undefined) await settleWithin(closing);
    else closing.catch(() => {});
    this.redis.disconnect();
    this.eventsConnection.disconnect();
  }
}

// Timeouts and retries, once for every execution backend: a backend only has to stop a task when
// its AbortSignal fires and to turn every fault into a failed result.
import type { Executor } from './executor.js';
import { failure, type FailureKind, type Task, type TaskResult, type TriedResult } from './protocol.js';

/**
 * Faults of the worker rather than of the model's code, worth a fresh worker: a crash (process.exit,
 * a fatal error), memory exhausted (possibly by earlier tasks on that worker), a timeout (possibly
 * a loaded machine). A model that throws would throw again on the same data, and an aborted task
 * was stopped on purpose: neither is retried.
 */
export const RETRYABLE: ReadonlySet<FailureKind> = new Set(['crashed', 'out-of-memory', 'timeout']);

export interface ReliabilityOptions {
  /** Stop a task that has not returned after this many milliseconds; its worker is replaced. */
  timeoutMs?: number;
  /** Extra tries for a task that failed with a RETRYABLE kind. */
  retries?: number;
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const seconds = (ms: number) => `${+(ms / 1000).toFixed(3)} s`;

/** Wraps an executor with per-task timeouts and retries; the result records tries above one. */
export class ReliableExecutor implements Executor {
  private readonly timeoutMs: number | undefined;
  private readonly retries: number;

  constructor(
    private readonly inner: Executor,
    options: ReliabilityOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs;
    this.retries = options.retries ?? 0;
  }

  get concurrency(): number {
    return this.inner.concurrency;
  }

  async run(task: Task, signal?: AbortSignal): Promise<TriedResult> {
    // A task waits here, not in the backend's queue, until a worker is free: its timeout counts
    // from the moment it can run, and its retries keep the slot it has.
    await this.acquire();
    try {
      for (let attempts = 1; ; attempts++) {
        const result = await this.once(task, signal);
        const retry =
          result.status === 'failed' &&
          RETRYABLE.has(result.error.kind) &&
          attempts <= this.retries &&
          signal?.aborted !== true;
        if (!retry) return attempts > 1 ? { ...result, attempts } : result;
      }
    } finally {
      this.release();
    }
  }

  private running = 0;
  private readonly waiting: (() => void)[] = [];

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiting task.
    if (next) next();
    else this.running -= 1;
  }

  private async once(task: Task, signal: AbortSignal | undefined): Promise<TaskResult> {
    if (this.timeoutMs === undefined) return this.guarded(task, signal);
    const timeoutMs = this.timeoutMs;
    // One controller per try, fired by the run's signal or the timer. (AbortSignal.any would do,
    // but on Node 20 it keeps every derived signal alive as long as the run's signal lives.)
    const controller = new AbortController();
    const forward = () => controller.abort(signal?.reason);
    if (signal?.aborted) forward();
    signal?.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      if (controller.signal.aborted) return;
      timedOut = true;
      controller.abort(new TimeoutError(`no result after ${seconds(timeoutMs)} (--timeout); the task was stopped`));
    }, timeoutMs);
    try {
      const result = await this.guarded(task, controller.signal);
      if (timedOut && result.status === 'failed' && result.error.kind === 'aborted')
        return failure('timeout', controller.signal.reason);
      return result;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
  }

  /** The Executor contract says run() resolves; a backend that breaks it costs one task, not the run. */
  private async guarded(task: Task, signal: AbortSignal | undefined): Promise<TaskResult> {
    try {
      return await this.inner.run(task, signal);
    } catch (error) {
      return failure('crashed', error);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

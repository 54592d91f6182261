// Timeouts and retries, written once: `withRetries` runs any attempt with a per-try time limit
// and tries again as its policy says (after a delay, with backoff and jitter where the policy asks
// for them). Every backend's tasks go through `ReliableExecutor`, built on it; other I/O with a
// deadline and retries (downloads) uses `withRetries` directly.
import type { Executor } from './executor.js';
import { failure, type FaultKind, type Task, type TaskResult } from './protocol.js';

/** The abort reason of a try that ran out of time. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface RetryPolicy<T> {
  /** Per-try limit: the try's signal aborts with a TimeoutError when it passes. */
  timeoutMs?: number;
  /**
   * Measure `timeoutMs` from the try's last sign of life (each call of its `alive()`) rather
   * than from its start: a limit on silence, as a download's is, not on the whole try.
   */
  idle?: boolean;
  /** Tries after the first, at most. */
  retries: number;
  /**
   * Whether the outcome of try `attempt` (1-based) is worth another try, and after how many
   * milliseconds; undefined ends here. Not asked once `retries` are used up or the caller aborted.
   */
  retryAfter(outcome: Outcome<T>, attempt: number): number | undefined;
  /** Words for the TimeoutError. */
  timeoutMessage?: (ms: number) => string;
}

const seconds = (ms: number) => `${+(ms / 1000).toFixed(3)} s`;

/**
 * Runs `attempt` until its outcome is final. Resolves with the last outcome (a rejection is an
 * outcome too: `{ ok: false }`) and the number of tries; rejects only if `signal` aborts while
 * waiting between tries. Each try gets its own signal, aborted by `signal` or by its timer.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal, attempt: number, alive: () => void) => Promise<T>,
  policy: RetryPolicy<T>,
  signal?: AbortSignal,
): Promise<{ outcome: Outcome<T>; attempts: number }> {
  for (let n = 1; ; n++) {
    const outcome = await once(attempt, n, policy, signal);
    const delay = n <= policy.retries && signal?.aborted !== true ? policy.retryAfter(outcome, n) : undefined;
    if (delay === undefined) return { outcome, attempts: n };
    if (delay > 0) await sleep(delay, signal);
  }
}

async function once<T>(
  attempt: (signal: AbortSignal, attempt: number, alive: () => void) => Promise<T>,
  n: number,
  policy: RetryPolicy<T>,
  signal: AbortSignal | undefined,
): Promise<Outcome<T>> {
  // One controller per try, fired by the caller's signal or the timer. (AbortSignal.any would do,
  // but on Node 20 it keeps every derived signal alive as long as the caller's signal lives.)
  const controller = new AbortController();
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  signal?.addEventListener('abort', forward, { once: true });
  const limit = policy.timeoutMs;
  const timer =
    limit === undefined
      ? undefined
      : setTimeout(() => {
          if (controller.signal.aborted) return;
          const words = policy.timeoutMessage?.(limit) ?? `no result after ${seconds(limit)}`;
          controller.abort(new TimeoutError(words));
        }, limit);
  const alive = policy.idle && timer ? () => timer.refresh() : () => {};
  try {
    return { ok: true, value: await attempt(controller.signal, n, alive) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/**
 * Exponential backoff with full jitter: a delay drawn uniformly from [0, base * 2^(attempt-1)],
 * capped, so that clients that failed together do not retry together.
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
}

/**
 * Faults of the worker rather than of the model's code, worth a fresh worker: a crash (process.exit,
 * a fatal error), memory exhausted (possibly by earlier tasks on that worker), a timeout (possibly
 * a loaded machine). A model that throws would throw again on the same data, and a task the run
 * stopped was stopped on purpose: neither is retried.
 */
export const RETRYABLE: ReadonlySet<FaultKind> = new Set(['crashed', 'out-of-memory', 'timeout']);

export interface ReliabilityOptions {
  /** Stop a task that has not returned after this many milliseconds; its worker is replaced. */
  timeoutMs?: number;
  /** Extra tries for a task that failed with a RETRYABLE kind. */
  retries?: number;
}

/**
 * Any executor with per-task timeouts and retries; the result records tries above one. It caps
 * nothing: whoever calls it (the Scheduler, a BullMQ worker) decides how many tasks run at once,
 * so a task's clock starts when it has a worker.
 */
export class ReliableExecutor implements Executor {
  private readonly policy: RetryPolicy<TaskResult>;

  constructor(
    private readonly inner: Executor,
    options: ReliabilityOptions = {},
  ) {
    this.policy = {
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      retries: options.retries ?? 0,
      retryAfter: (outcome) =>
        outcome.ok && outcome.value.status === 'failed' && RETRYABLE.has(outcome.value.error.kind) ? 0 : undefined,
      timeoutMessage: (ms) => `no result after ${seconds(ms)} (--timeout); the task was stopped`,
    };
  }

  get concurrency(): number {
    return this.inner.concurrency;
  }

  async run(task: Task, signal?: AbortSignal): Promise<TaskResult> {
    const { outcome, attempts } = await withRetries(
      async (trySignal) => {
        const result = await this.inner.run(task, trySignal);
        // The backend saw an abort; when the timer fired it, it is a timeout, not the run's decision.
        return result.status === 'not-run' && trySignal.reason instanceof TimeoutError
          ? failure('timeout', trySignal.reason)
          : result;
      },
      this.policy,
      signal,
    );
    // The Executor contract says run() resolves; a backend that breaks it costs one task, not the run.
    const result = outcome.ok ? outcome.value : failure('crashed', outcome.error);
    return attempts > 1 ? { ...result, attempts } : result;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  onOutput(sink: (line: string) => void): void {
    this.inner.onOutput?.(sink);
  }
}

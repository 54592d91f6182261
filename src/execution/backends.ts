// The one place that builds an executor from options: every caller (train, the bench, the API)
// gets timeouts and retries the same way, whichever backend runs the tasks.
import type { Executor } from './executor.js';
import { PiscinaExecutor } from './piscina.js';
import { ReliableExecutor } from './reliability.js';

interface Common {
  /** Per-task limit in milliseconds; the task's worker is stopped and replaced. */
  timeoutMs?: number;
  /** Extra tries for a task whose worker crashed, ran out of memory or timed out. */
  retries?: number;
}

export type BackendOptions =
  | (Common & {
      backend: 'piscina';
      threads: number;
      /** Cap on each worker thread's JavaScript heap, in MiB. */
      maxMemoryMb?: number;
    })
  | (Common & {
      backend: 'bullmq';
      /** The Redis the workers serve. */
      url: string;
      /** Notes for the user (workers seen, Redis trouble); errors are printed whatever this is. */
      log?: (line: string) => void;
    });

/**
 * Starts the backend. The local pool's threads start at once, loading the models while the
 * caller reads its data; the BullMQ backend connects (a UsageError when Redis is unreachable).
 * Timeouts and retries are applied where tasks run: here for the pool, on each BullMQ worker.
 */
export async function createExecutor(options: BackendOptions): Promise<Executor> {
  const reliability = {
    retries: options.retries ?? 0,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  if (options.backend === 'piscina') {
    const pool = new PiscinaExecutor({
      threads: options.threads,
      ...(options.maxMemoryMb === undefined ? {} : { maxMemoryMb: options.maxMemoryMb }),
    });
    return new ReliableExecutor(pool, reliability);
  }
  const { BullmqExecutor } = await import('./bullmq/coordinator.js');
  return BullmqExecutor.connect({ url: options.url, ...reliability, ...(options.log ? { log: options.log } : {}) });
}

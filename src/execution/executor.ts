import type { Task, TaskResult } from './protocol.js';

/**
 * Runs tasks somewhere: a worker-thread pool here, a job queue elsewhere. Implementations turn
 * every fault (a crashed worker, a timeout, an abort) into a failed TaskResult: `run` resolves.
 */
export interface Executor {
  /** How many tasks run at once. */
  readonly concurrency: number;
  run(task: Task, signal?: AbortSignal): Promise<TaskResult>;
  close(): Promise<void>;
}

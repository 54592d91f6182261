// execution/: where tasks run. A task (protocol.ts) goes from the Scheduler, the one place that
// caps how many run at once and orders them, through ReliableExecutor (timeouts and retries), to
// a backend: PiscinaExecutor, worker threads here, or the BullMQ coordinator (bullmq/), workers on
// other machines, which run the same runTask (run-task.ts) through the same ReliableExecutor.
// backends.ts is the one place that builds an executor from options; thread-guard.ts is what a
// thread running model code does about what it prints and the signals it sends. This folder may
// import ml/, models/ and data/; it knows nothing of reports, formatting or the command line.
import type { Task, TaskResult } from './protocol.js';

/**
 * Runs tasks somewhere: a worker-thread pool here, a job queue elsewhere. Implementations turn
 * every fault (a crashed worker, a timeout) and every stop (an abort) into a TaskResult: `run`
 * resolves, never rejects.
 */
export interface Executor {
  /** How many tasks can run at once. */
  readonly concurrency: number;
  run(task: Task, signal?: AbortSignal): Promise<TaskResult>;
  close(): Promise<void>;
  /**
   * Where the lines that tasks' code prints go (each labelled with its model); by default, a
   * backend that runs model code in this process writes them to stderr. Never to stdout.
   */
  onOutput?(sink: (line: string) => void): void;
}

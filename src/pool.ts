import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { Executor } from './executor.js';
import { projectRoot } from './paths.js';
import { failure, type Task, type TaskResult } from './types.js';

/**
 * The compiled worker entry. Resolved against the package root rather than this file so that
 * code running from src/ under Vitest finds the same compiled worker as code running from dist/.
 */
export function workerPath(): string {
  const path = join(projectRoot, 'dist/workers/worker.js');
  if (!existsSync(path)) throw new Error(`worker not built: ${path} is missing; run \`node scripts/build.mjs\``);
  return path;
}

export interface PoolOptions {
  threads: number;
}

export class PiscinaExecutor implements Executor {
  private readonly pool: Piscina<Task, TaskResult>;

  constructor(options: PoolOptions) {
    this.pool = new Piscina<Task, TaskResult>({
      filename: workerPath(),
      // All threads start at once, loading the models while the main thread reads the data.
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Infinity,
      // Queued tasks wait in piscina's queue, in the order they were submitted.
      maxQueue: Infinity,
      concurrentTasksPerWorker: 1,
    });
  }

  get concurrency(): number {
    return this.pool.options.maxThreads;
  }

  async run(task: Task, signal?: AbortSignal): Promise<TaskResult> {
    try {
      return await this.pool.run(task, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) return failure('aborted', error);
      return failure('crashed', error);
    }
  }

  async close(): Promise<void> {
    // Terminating a worker while it is still loading its module (Node 20's require of ESM) aborts
    // the whole process with a V8 fatal error. Bad input is found before the workers are up, so
    // let each one finish loading (answer a ping) first; bounded, in case a task holds a thread.
    const pings = Array.from({ length: this.concurrency }, () => this.run({ kind: 'ping' }));
    await Promise.race([Promise.all(pings), new Promise((done) => setTimeout(done, 2000).unref())]);
    await this.pool.destroy();
  }
}

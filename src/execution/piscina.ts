import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { Executor } from './executor.js';
import { projectRoot } from '../paths.js';
import { failure, notRun, type Task, type TaskResult } from './protocol.js';
import { isOutputMessage } from './thread-guard.js';

/**
 * The compiled worker entry. Resolved against the package root rather than this file so that
 * code running from src/ under Vitest finds the same compiled worker as code running from dist/.
 */
export function workerPath(): string {
  const path = join(projectRoot, 'dist/workers/pool-thread.js');
  if (!existsSync(path)) throw new Error(`worker not built: ${path} is missing; run \`node scripts/build.mjs\``);
  return path;
}

export interface PoolOptions {
  threads: number;
  /**
   * Cap on each worker's JS heap (V8 old generation), in MiB. A task that goes over it ends its
   * worker, which piscina replaces; the task fails as 'out-of-memory'. ArrayBuffers and typed
   * arrays live outside that heap and are not capped. Default: V8's own limit.
   */
  maxMemoryMb?: number;
}

/** Why a task whose promise piscina rejected did not finish, as a failed result. */
function classify(error: unknown, signal: AbortSignal | undefined, maxMemoryMb: number | undefined): TaskResult {
  // piscina rejects an aborted task with its own AbortError; the abort reason says who stopped it.
  if (signal?.aborted) return notRun('aborted', signal.reason instanceof Error ? signal.reason : error);
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const limit = maxMemoryMb === undefined ? "V8's default heap limit" : `--max-memory-mb ${maxMemoryMb}`;
    return {
      status: 'failed',
      error: { kind: 'out-of-memory', name: code, message: `the worker ran out of memory (${limit}): ${e.message}` },
    };
  }
  // piscina's words when a worker thread ends mid-task (process.exit, a fatal error).
  const exit = /^worker exited with code: (-?\d+)/.exec(e.message);
  if (exit) {
    return {
      status: 'failed',
      error: {
        kind: 'crashed',
        name: 'WorkerExit',
        message: `the worker thread exited with code ${exit[1]} while running this task (process.exit or a fatal error)`,
      },
    };
  }
  // An exception nothing caught inside the worker (a throw from a timer, an unhandled rejection):
  // it ends the worker thread, not just the task.
  return failure('crashed', e);
}

export class PiscinaExecutor implements Executor {
  private readonly pool: Piscina<Task, TaskResult>;
  private readonly maxMemoryMb: number | undefined;
  private output: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

  constructor(options: PoolOptions) {
    this.maxMemoryMb = options.maxMemoryMb;
    this.pool = new Piscina<Task, TaskResult>({
      filename: workerPath(),
      // All threads start at once, loading the models while the main thread reads the data.
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Infinity,
      // Queued tasks wait in piscina's queue, in the order they were submitted.
      maxQueue: Infinity,
      concurrentTasksPerWorker: 1,
      ...(options.maxMemoryMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb } }),
    });
    // piscina emits 'error' for a worker that fails while running no task (a model's stray timer
    // throwing after its task returned). That worker is replaced; it must not end the run, which
    // an 'error' event without a listener would.
    this.pool.on('error', () => {});
    // What model code prints in a thread arrives as messages (workers/pool-thread.ts), never on
    // this process's stdout.
    this.pool.on('message', (message: unknown) => {
      if (isOutputMessage(message)) for (const line of message.trainpoolOutput) this.output(line);
    });
  }

  onOutput(sink: (line: string) => void): void {
    this.output = sink;
  }

  get concurrency(): number {
    return this.pool.options.maxThreads;
  }

  /**
   * Resolves with the task's result or a failed one, never rejects. An aborted task that is
   * running has its worker terminated (piscina starts a fresh one), so a task stuck in a loop
   * stops too.
   */
  async run(task: Task, signal?: AbortSignal): Promise<TaskResult> {
    try {
      return await this.pool.run(task, signal ? { signal } : {});
    } catch (error) {
      return classify(error, signal, this.maxMemoryMb);
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

// The main thread's side of the chart worker (workers/charts.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../paths.js';
import type { ChartInput } from './inputs.js';

export interface ChartRequest {
  id: number;
  input: ChartInput;
}
export type ChartReply = { id: number; svg: string } | { id: number; error: string };

/** Anything that draws charts: the worker below, or a ChartRenderer in this thread. */
export interface ChartDrawer {
  render(input: ChartInput): Promise<string>;
  close(): Promise<void>;
}

/** Draws in workers/charts.ts. Never throws: if the worker cannot start, every drawing fails with why. */
export class ChartWorker implements ChartDrawer {
  private readonly worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (svg: string) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor() {
    const path = join(projectRoot, 'dist/workers/charts.js');
    if (!existsSync(path)) {
      this.failure = new Error(`chart worker not built: ${path} is missing; run \`npm run build\``);
      return;
    }
    // A roomy young generation spares the many short-lived objects of a vega run being copied
    // from one semi-space to the other; the worker draws a handful of charts and ends.
    this.worker = new Worker(path, { resourceLimits: { maxYoungGenerationSizeMb: 32 } });
    this.worker.on('message', (reply: ChartReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker?.unref();
      if ('svg' in reply) waiter.resolve(reply.svg);
      else waiter.reject(new Error(reply.error));
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the chart worker stopped (exit code ${code})`)));
    // Waiting for charts keeps the process alive; an idle worker does not (a run that stops on bad
    // input exits at once). After the listeners: adding a 'message' listener refs the port again.
    this.worker.unref();
  }

  render(input: ChartInput): Promise<string> {
    const worker = this.worker;
    if (this.failure || !worker) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, input } satisfies ChartRequest);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

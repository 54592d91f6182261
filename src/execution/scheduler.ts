import type { Executor } from './executor.js';
import { notRun, type Task, type TaskResult } from './protocol.js';

interface Pending {
  task: Task;
  cost: number;
  seq: number;
  resolve: (result: TaskResult) => void;
}

export type SchedulerEvent =
  { kind: 'start'; task: Task; cost: number } | { kind: 'done'; task: Task; cost: number; result: TaskResult };

/**
 * The one place that decides how many tasks run at once: it hands tasks to an executor no more
 * than `executor.concurrency` at a time, the costliest (longest expected) first, so that the
 * slowest job does not start last. Ties keep submission order. Results are matched to their
 * tasks, so completion order never affects a report. Listeners hear every start and finish.
 */
export class Scheduler {
  private readonly pending: Pending[] = [];
  private readonly listeners: ((event: SchedulerEvent) => void)[] = [];
  private running = 0;
  private seq = 0;
  private stopped = false;
  private pumpQueued = false;

  constructor(
    private readonly executor: Executor,
    private readonly signal?: AbortSignal,
  ) {
    // Queued tasks resolve as not run at once; running ones when the executor has stopped them.
    signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  get concurrency(): number {
    return this.executor.concurrency;
  }

  on(listener: (event: SchedulerEvent) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Queues a task. Aborting `withdraw` takes it back if it has not started (it resolves as not
   * run, with the abort reason as its message); a task already running is left to finish.
   */
  submit(task: Task, cost: number, withdraw?: AbortSignal): Promise<TaskResult> {
    return new Promise((resolve) => {
      if (withdraw?.aborted) return resolve(notRun('withdrawn', withdraw.reason));
      const onWithdraw = () => {
        const i = this.pending.indexOf(entry);
        if (i !== -1) this.pending.splice(i, 1)[0]!.resolve(notRun('withdrawn', withdraw!.reason));
      };
      const entry: Pending = {
        task,
        cost,
        seq: this.seq++,
        resolve: (result) => {
          withdraw?.removeEventListener('abort', onWithdraw);
          resolve(result);
        },
      };
      withdraw?.addEventListener('abort', onWithdraw, { once: true });
      this.pending.push(entry);
      this.queuePump();
    });
  }

  /** Stops dispatching: every task not yet started resolves as not run. */
  stop(): void {
    this.stopped = true;
    for (const p of this.pending.splice(0))
      p.resolve(notRun('aborted', 'the run was interrupted before this task started'));
  }

  /**
   * Dispatching waits for the current turn to end, so that every task submitted in it competes
   * for the first threads: dispatching at each submit would start the first few submitted, in
   * whatever order their models were listed, before the costliest had arrived.
   */
  private queuePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private emit(event: SchedulerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private pump(): void {
    if (this.stopped || this.signal?.aborted) return this.stop();
    while (this.running < this.executor.concurrency && this.pending.length > 0) {
      let best = 0;
      for (let i = 1; i < this.pending.length; i++) {
        const a = this.pending[i]!;
        const b = this.pending[best]!;
        if (a.cost > b.cost || (a.cost === b.cost && a.seq < b.seq)) best = i;
      }
      const next = this.pending.splice(best, 1)[0]!;
      this.running += 1;
      this.emit({ kind: 'start', task: next.task, cost: next.cost });
      void this.executor.run(next.task, this.signal).then((result) => {
        this.running -= 1;
        this.emit({ kind: 'done', task: next.task, cost: next.cost, result });
        next.resolve(result);
        // After the callbacks on this result have run: they may withdraw queued tasks.
        this.queuePump();
      });
    }
  }
}

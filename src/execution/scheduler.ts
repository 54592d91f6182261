import type { Executor } from './executor.js';
import { failure, type Task, type TaskResult } from './protocol.js';

interface Pending {
  task: Task;
  priority: number;
  seq: number;
  resolve: (result: TaskResult) => void;
}

/**
 * Hands tasks to an executor no more than `executor.concurrency` at a time, the highest priority
 * (longest expected) first, so that the slowest job does not start last. Ties keep submission
 * order. Results are matched to their tasks, so completion order never affects a report.
 */
export class Scheduler {
  private readonly pending: Pending[] = [];
  private running = 0;
  private seq = 0;
  private stopped = false;

  constructor(
    private readonly executor: Executor,
    private readonly signal?: AbortSignal,
  ) {
    // Queued tasks resolve as aborted at once; running ones when the executor has stopped them.
    signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  /**
   * Queues a task. Aborting `withdraw` takes it back if it has not started (it resolves as
   * aborted, with the abort reason); a task already running is left to finish.
   */
  submit(task: Task, priority: number, withdraw?: AbortSignal): Promise<TaskResult> {
    return new Promise((resolve) => {
      if (withdraw?.aborted) return resolve(failure('aborted', withdraw.reason));
      const onWithdraw = () => {
        const i = this.pending.indexOf(entry);
        if (i !== -1) this.pending.splice(i, 1)[0]!.resolve(failure('aborted', withdraw!.reason));
      };
      const entry: Pending = {
        task,
        priority,
        seq: this.seq++,
        resolve: (result) => {
          withdraw?.removeEventListener('abort', onWithdraw);
          resolve(result);
        },
      };
      withdraw?.addEventListener('abort', onWithdraw, { once: true });
      this.pending.push(entry);
      this.pump();
    });
  }

  /** Stops dispatching: every task not yet started resolves as aborted. */
  stop(): void {
    this.stopped = true;
    for (const p of this.pending.splice(0))
      p.resolve(failure('aborted', new Error('the run was interrupted before this task started')));
  }

  private pump(): void {
    if (this.stopped || this.signal?.aborted) return this.stop();
    while (this.running < this.executor.concurrency && this.pending.length > 0) {
      let best = 0;
      for (let i = 1; i < this.pending.length; i++) {
        const a = this.pending[i]!;
        const b = this.pending[best]!;
        if (a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq)) best = i;
      }
      const next = this.pending.splice(best, 1)[0]!;
      this.running += 1;
      void this.executor.run(next.task, this.signal).then((result) => {
        this.running -= 1;
        next.resolve(result);
        // After the callbacks on this result have run: they may withdraw queued tasks.
        setImmediate(() => this.pump());
      });
    }
  }
}

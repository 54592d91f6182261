import type { Executor } from './executor.js';
import { notRun, type Task, type TaskResult } from './protocol.js';

interface Pending {
  task: Task;
  cost: number;
  seq: number;
  resolve: (result: TaskResult) => void;
}

/**
 * A time budget for everything the scheduler runs: at `deadline` (a performance.now() time) no
 * task starts any more and those queued resolve as not run; at deadline + grace the running ones
 * are stopped and resolve as not run too, of kind 'budget'.
 */
export interface Budget {
  deadline: number;
  graceMs: number;
  /** How the budget is named in the reasons, e.g. "10 s (--budget)". */
  label: string;
}

/** The abort reason of tasks stopped at the end of the budget's grace. */
class BudgetSpent extends Error {
  override readonly name = 'BudgetSpent';
}

export type SchedulerEvent =
  { kind: 'start'; task: Task; cost: number } | { kind: 'done'; task: Task; cost: number; result: TaskResult };

/**
 * The one place that decides how many tasks run at once: it hands tasks to an executor no more
 * than `executor.concurrency` at a time, the costliest (longest expected) first, so that the
 * slowest job does not start last. Ties keep submission order. Results are matched to their
 * tasks, so completion order never affects a report. Listeners hear every start and finish.
 * With a budget, it is also what stops the run on time.
 */
export class Scheduler {
  private readonly pending: Pending[] = [];
  private readonly listeners: ((event: SchedulerEvent) => void)[] = [];
  private running = 0;
  private seq = 0;
  private stopped = false;
  private pumpQueued = false;
  /** What running tasks are stopped by: the run's signal, or the end of the budget's grace. */
  private readonly taskSignal: AbortSignal | undefined;
  private spent = false;

  constructor(
    private readonly executor: Executor,
    private readonly signal?: AbortSignal,
    private readonly budget?: Budget,
  ) {
    // Queued tasks resolve as not run at once; running ones when the executor has stopped them.
    signal?.addEventListener('abort', () => this.stop(), { once: true });
    this.taskSignal = signal;
    if (budget) {
      const stopping = new AbortController();
      signal?.addEventListener('abort', () => stopping.abort(signal.reason), { once: true });
      this.taskSignal = stopping.signal;
      const left = budget.deadline - performance.now();
      // Unref'd: a run that ends early is not kept alive by its budget.
      setTimeout(() => this.spend(), Math.max(0, left)).unref();
      setTimeout(
        () =>
          stopping.abort(
            new BudgetSpent(
              `the time budget of ${budget.label} and its ${+(budget.graceMs / 1000).toFixed(3)} s grace ran out while it ran; it was stopped`,
            ),
          ),
        Math.max(0, left + budget.graceMs),
      ).unref();
    }
  }

  /** Whether the budget has run out: nothing starts any more. */
  get budgetSpent(): boolean {
    return this.spent;
  }

  private spend(): void {
    this.spent = true;
    for (const p of this.pending.splice(0)) p.resolve(this.notStarted());
  }

  private notStarted(): TaskResult {
    return notRun('budget', `the time budget of ${this.budget!.label} ran out before this task started`);
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
      if (this.spent) return resolve(this.notStarted());
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
    if (this.spent) return;
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
      void this.executor.run(next.task, this.taskSignal).then((outcome) => {
        const stopped = this.taskSignal?.reason;
        // The executor saw an abort; when the budget's end fired it, the budget is the reason.
        const result =
          outcome.status === 'not-run' && stopped instanceof BudgetSpent ? notRun('budget', stopped) : outcome;
        this.running -= 1;
        this.emit({ kind: 'done', task: next.task, cost: next.cost, result });
        next.resolve(result);
        // After the callbacks on this result have run: they may withdraw queued tasks.
        this.queuePump();
      });
    }
  }
}

// Live progress of a run. RunTracker counts tasks as the scheduler starts and finishes them, so
// every backend reports the same way, and tells its listeners; the display draws those events: a
// status line on a terminal, one line per finished model otherwise, nothing with --quiet. Every
// line a run prints while it trains goes through the display, so none lands on the status line.
// The text itself is formatted in format/progress.ts.
import type { Scheduler } from '../execution/scheduler.js';
import type { Task, TaskResult } from '../execution/protocol.js';
import type { Colors } from '../format/console.js';
import { formatModelLine } from '../format/console.js';
import { formatProgress, formatProgressSuffix, type ProgressSnapshot } from '../format/progress.js';
import type { ModelReport } from '../results/report.js';
import { onHardExit } from './interrupt.js';

export type RunEvent =
  | { kind: 'task-start'; task: Task }
  | { kind: 'task-done'; task: Task; result: TaskResult }
  | { kind: 'model-done'; report: ModelReport; scope: string | undefined };

const modelLine = (event: Extract<RunEvent, { kind: 'model-done' }>, c: Colors) =>
  `${event.scope ? `${event.scope}: ` : ''}${formatModelLine(event.report, c)}`;

export type RunListener = (event: RunEvent, tracker: RunTracker) => void;

export class RunTracker {
  private readonly startedAt = performance.now();
  private readonly listeners: RunListener[] = [];
  private readonly byModel = new Map<string, number>();
  started = 0;
  done = 0;
  failed = 0;
  modelsDone = 0;
  /** Tasks answered from the run's journal (--resume) instead of being run. */
  reused = 0;
  private costDone = 0;
  private costReused = 0;

  /**
   * `tasks`: how many tasks the run plans; `models`: how many models it evaluates; `cost`: the
   * planned tasks' expected seconds, summed (their definitions' estimates).
   */
  constructor(
    readonly tasks: number,
    readonly models: number,
    private readonly cost: number,
  ) {}

  on(listener: RunListener): void {
    this.listeners.push(listener);
  }

  /** Follows the scheduler's starts and finishes. */
  observe(scheduler: Pick<Scheduler, 'on'>): void {
    scheduler.on((event) => {
      if (event.kind === 'start') this.taskStarted(event.task);
      else this.taskDone(event.task, event.result, event.cost);
    });
  }

  /** A task answered from the run's journal: done at once, and no measure of how fast tasks go. */
  taskReused(cost: number): void {
    this.started += 1;
    this.done += 1;
    this.reused += 1;
    this.costReused += cost;
  }

  /** Tasks started and not yet finished. */
  get running(): number {
    return this.started - this.done;
  }

  /** True once every planned task has been handed to the executor. */
  get allStarted(): boolean {
    return this.started >= this.tasks;
  }

  /** `scope` names the data set when a run has several. */
  modelDone(report: ModelReport, scope?: string): void {
    this.modelsDone += 1;
    this.emit({ kind: 'model-done', report, scope });
  }

  snapshot(): ProgressSnapshot {
    const elapsedMs = performance.now() - this.startedAt;
    // Retries can start more tasks than planned; the display never shows more than all of them.
    const total = Math.max(this.tasks, this.started);
    const done = Math.min(this.done, total);
    // Tasks differ a thousandfold in cost: the rate is of expected seconds done, not of tasks.
    const left = Math.max(0, this.cost - this.costDone - this.costReused);
    return {
      total,
      done,
      failed: this.failed,
      models: this.models,
      modelsDone: this.modelsDone,
      running: [...this.byModel.keys()],
      elapsedMs,
      ...(this.costDone > 0 && done < total ? { etaMs: (elapsedMs / this.costDone) * left } : {}),
    };
  }

  private taskStarted(task: Task): void {
    this.started += 1;
    if (task.kind === 'train') this.byModel.set(task.modelId, (this.byModel.get(task.modelId) ?? 0) + 1);
    this.emit({ kind: 'task-start', task });
  }

  private taskDone(task: Task, result: TaskResult, cost: number): void {
    this.done += 1;
    this.costDone += cost;
    if (result.status === 'failed') this.failed += 1;
    if (task.kind === 'train') {
      const left = (this.byModel.get(task.modelId) ?? 1) - 1;
      if (left > 0) this.byModel.set(task.modelId, left);
      else this.byModel.delete(task.modelId);
    }
    this.emit({ kind: 'task-done', task, result });
  }

  private emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event, this);
  }
}

export type ProgressMode = 'tty' | 'plain' | 'quiet';

/** A status line only on a terminal and never under CI (whose logs keep every redraw); --quiet: nothing. */
export function progressMode(stream: NodeJS.WriteStream, quiet: boolean, env = process.env): ProgressMode {
  if (quiet) return 'quiet';
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0';
  return stream.isTTY === true && !ci ? 'tty' : 'plain';
}

export interface Display {
  /** A line for the user (nothing with --quiet), printed above the status line. */
  info(line: string): void;
  /** A line on stderr whatever the mode, above the status line on a terminal. */
  warn(line: string): void;
  /** Takes the status line down for good; lines printed after this are plain. */
  stop(): void;
}

/** Plain mode prints a line when nothing else was printed for this long. */
export const HEARTBEAT_MS = 10_000;
const CLEAR_LINE = '\r\x1b[2K';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

/**
 * One status line at the bottom of a terminal, redrawn in place from `render`, with any other line
 * printed above it (the status line is cleared, the line printed, the status line drawn again).
 * `render` must keep the line narrower than the terminal: a wrapped line cannot be redrawn in
 * place. The cursor is hidden while it lives (and shown again even if a second Ctrl-C ends the
 * process at once).
 */
export class StatusLine {
  private active = true;
  private drawn = '';
  private readonly disposeHardExit: () => void;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly render: () => string,
  ) {
    this.disposeHardExit = onHardExit(() => stream.write(SHOW_CURSOR));
    stream.write(HIDE_CURSOR);
    this.draw();
  }

  draw(): void {
    if (!this.active) return;
    const line = this.render();
    if (line === this.drawn) return;
    this.drawn = line;
    this.stream.write(`${CLEAR_LINE}${line}`);
  }

  /** Prints what `write` writes (whole lines) above the status line. */
  above(write: () => void): void {
    if (this.active) this.stream.write(CLEAR_LINE);
    write();
    if (this.active) {
      this.drawn = '';
      this.draw();
    }
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.stream.write(`${CLEAR_LINE}${SHOW_CURSOR}`);
    this.disposeHardExit();
  }
}

export function startDisplay(tracker: RunTracker, mode: ProgressMode, stream: NodeJS.WriteStream, c: Colors): Display {
  const warnPlain = (line: string) => process.stderr.write(`${line}\n`);
  if (mode === 'quiet') return { info: () => {}, warn: warnPlain, stop: () => {} };
  if (mode === 'plain') {
    let last = performance.now();
    const write = (line: string) => {
      last = performance.now();
      stream.write(`${line}\n`);
    };
    tracker.on((event, t) => {
      if (event.kind === 'model-done') write(`${modelLine(event, c)}  ${c.dim(formatProgressSuffix(t.snapshot()))}`);
    });
    const heartbeat = setInterval(() => {
      if (performance.now() - last >= HEARTBEAT_MS) write(c.dim(formatProgress(tracker.snapshot())));
    }, HEARTBEAT_MS / 4);
    heartbeat.unref();
    return { info: write, warn: warnPlain, stop: () => clearInterval(heartbeat) };
  }

  const line = new StatusLine(stream, () => {
    const columns = stream.columns ?? 80;
    return formatProgress(tracker.snapshot(), c, Math.max(10, Math.min(30, columns - 90)), columns - 1);
  });
  tracker.on((event) => {
    if (event.kind === 'model-done') line.above(() => stream.write(`${modelLine(event, c)}\n`));
    else line.draw();
  });
  // Elapsed time and the estimate move between events too.
  const tick = setInterval(() => line.draw(), 100);
  tick.unref();
  return {
    info: (text) => line.above(() => stream.write(`${text}\n`)),
    warn: (text) => line.above(() => process.stderr.write(`${text}\n`)),
    stop: () => {
      clearInterval(tick);
      line.stop();
    },
  };
}

/**
 * Keeps stdout for the report alone (`--json`): until `release()`, whatever else writes to it on
 * this thread (a model module's code: its top level, its `cost`) goes to stderr instead. `write`
 * is the report's own way out.
 */
export function reserveStdout(): { write(text: string): void; release(): void } {
  const original = process.stdout.write;
  const toStderr = ((...args: Parameters<typeof original>) =>
    process.stderr.write(...(args as Parameters<typeof process.stderr.write>))) as typeof original;
  process.stdout.write = toStderr;
  return {
    write: (text) => void original.call(process.stdout, text),
    release: () => {
      if (process.stdout.write === toStderr) process.stdout.write = original;
    },
  };
}

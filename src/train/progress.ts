// Live progress of a run. RunTracker counts tasks as the executor starts and finishes them (it
// wraps any Executor, so every backend reports the same way) and tells its listeners; the display
// draws those events: a bar on a terminal, one line per event otherwise, nothing with --quiet.
// The text itself is formatted in src/format/progress.ts.
import type { Executor } from '../execution/executor.js';
import type { Colors } from '../format/console.js';
import { formatModelLine } from '../format/console.js';
import { formatProgress, formatProgressSuffix, type ProgressSnapshot } from '../format/progress.js';
import type { ModelReport } from '../results/report.js';
import type { Task, TaskResult } from '../execution/protocol.js';

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

  /** `tasks`: how many tasks the run plans; `models`: how many models it evaluates. */
  constructor(
    readonly tasks: number,
    readonly models: number,
  ) {}

  on(listener: RunListener): void {
    this.listeners.push(listener);
  }

  /** Tasks started and not yet finished. */
  get running(): number {
    return this.started - this.done;
  }

  /** True once every planned task has been handed to the executor. */
  get allStarted(): boolean {
    return this.started >= this.tasks;
  }

  /** The same executor, reporting every task it starts and finishes to this tracker. */
  observe(executor: Executor): Executor {
    return {
      get concurrency() {
        return executor.concurrency;
      },
      run: async (task, signal) => {
        this.taskStarted(task);
        const result = await executor.run(task, signal);
        this.taskDone(task, result);
        return result;
      },
      close: () => executor.close(),
    };
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
    return {
      total,
      done,
      failed: this.failed,
      models: this.models,
      modelsDone: this.modelsDone,
      running: [...this.byModel.keys()],
      elapsedMs,
      // Tasks of one run cost about the same; the rate so far is the best guess for the rest.
      ...(done > 0 && done < total ? { etaMs: (elapsedMs / done) * (total - done) } : {}),
    };
  }

  private taskStarted(task: Task): void {
    this.started += 1;
    if (task.kind === 'train') this.byModel.set(task.modelId, (this.byModel.get(task.modelId) ?? 0) + 1);
    this.emit({ kind: 'task-start', task });
  }

  private taskDone(task: Task, result: TaskResult): void {
    this.done += 1;
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

/** A bar only on a terminal and never under CI (whose logs keep every redraw); --quiet: nothing. */
export function progressMode(stream: NodeJS.WriteStream, quiet: boolean, env = process.env): ProgressMode {
  if (quiet) return 'quiet';
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0';
  return stream.isTTY === true && !ci ? 'tty' : 'plain';
}

export interface Progress {
  /** Takes the display down (the bar is cleared); call before printing the summary. */
  stop(): void;
}

/** Plain mode prints a line when nothing else was printed for this long. */
const HEARTBEAT_MS = 10_000;

export async function startProgress(
  tracker: RunTracker,
  mode: ProgressMode,
  stream: NodeJS.WriteStream,
  c: Colors,
): Promise<Progress> {
  if (mode === 'quiet') return { stop: () => {} };
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
    return { stop: () => clearInterval(heartbeat) };
  }

  const { MultiBar } = (await import('cli-progress')).default;
  const bars = new MultiBar({
    stream,
    format: (_options, _params, payload: { line: string }) => payload.line,
    hideCursor: true,
    clearOnComplete: true,
    linewrap: false,
    fps: 20,
  });
  const line = () => {
    const columns = stream.columns ?? 80;
    return { line: formatProgress(tracker.snapshot(), c, Math.max(10, Math.min(30, columns - 90)), columns - 1) };
  };
  const bar = bars.create(tracker.tasks, 0, line());
  tracker.on((event, t) => {
    if (event.kind === 'model-done') bars.log(`${modelLine(event, c)}\n`);
    bar.setTotal(Math.max(t.tasks, t.started));
    bar.update(Math.min(t.done, Math.max(t.tasks, t.started)), line());
  });
  // Elapsed time and the ETA move between events too.
  const tick = setInterval(() => bar.update(line()), 100);
  tick.unref();
  return {
    stop: () => {
      clearInterval(tick);
      // MultiBar prints logged lines at its next redraw: draw once more so the last one is kept.
      bars.update();
      bars.stop();
    },
  };
}

// report.html for a run. Drawing its charts costs ~0.1 s of CPU (loading vega, building two
// dataflows, drawing), which `npm run train` cannot simply add to its time. So during a run it
// starts in the first moment a core is idle and the pool has nothing left to hand out: that CPU
// would otherwise go unused. Each model's confusion matrix is drawn as the model finishes; only
// the overview chart waits for the last one. Each step is its own macrotask, so a result arriving
// from the pool is never kept waiting for more than one step. A chart that cannot be drawn costs
// the page its picture (with a note saying why), never the run.
import { availableParallelism } from 'node:os';
import { confusionChart, overviewChart, rocChart, type RocSource } from '../charts/inputs.js';
import { ChartRenderer } from '../charts/render.js';
import { formatValue } from '../format/columns.js';
import { formatReportHtml } from '../format/report-html.js';
import type { RunTracker } from './progress.js';
import type { ModelReport, Report } from '../results/report.js';

const fitTime = (ms: number) => formatValue('fitMs', ms);
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ReportCharts {
  private renderer: ChartRenderer | undefined;
  private queue: Promise<void> = Promise.resolve();
  private started = false;
  /** Models that finished before drawing started. */
  private readonly finished: ModelReport[] = [];
  private readonly requested = new Set<string>();
  /** Every model finished so far, for the provisional overview. */
  private readonly done: ModelReport[] = [];
  private provisional = false;
  private finishing = false;
  private readonly confusion: Record<string, string> = {};
  private error: string | undefined;

  /**
   * With a tracker, drawing starts once every task has been handed out and fewer are running than
   * the machine has cores.
   */
  /**
   * `run`: the run's rows and labels, known before any model finishes; with it the ROC chart is
   * drawn once provisionally in idle time too (its first drawing costs ~10x a later one).
   */
  constructor(
    tracker?: RunTracker,
    private readonly run?: Omit<RocSource, 'models'>,
    cores = availableParallelism(),
  ) {
    tracker?.on((event, t) => {
      if (event.kind === 'model-done') {
        // After the last model the provisional overview would only delay the real one.
        if (t.modelsDone === t.models) this.finishing = true;
        this.modelDone(event.report);
      } else if (t.allStarted && t.running < cores) this.start();
    });
  }

  /** Queues a step; steps run one at a time, each after pending I/O. */
  private step(job: (renderer: ChartRenderer) => Promise<void> | void): void {
    this.queue = this.queue
      .then(nextTurn)
      .then(() => {
        if (this.error) return;
        this.renderer ??= new ChartRenderer();
        return job(this.renderer);
      })
      .catch((error: unknown) => {
        this.error ??= reason(error);
      });
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.step((r) => r.load());
    this.step((r) => r.prepare(['confusion']));
    for (const report of this.finished.splice(0)) this.draw(report);
    this.drawProvisional();
  }

  private modelDone(report: ModelReport): void {
    this.done.push(report);
    if (!this.started) {
      this.finished.push(report);
      return;
    }
    this.draw(report);
    this.drawProvisional();
  }

  /**
   * Once: draws the overview with the models finished so far, and throws it away. The first
   * drawing of a chart costs ~3x a later one; this one falls in idle time, the final one does not.
   */
  private drawProvisional(): void {
    if (this.provisional) return;
    this.provisional = true;
    this.step(async (r) => {
      const input = this.finishing ? undefined : overviewChart({ models: this.done }, fitTime);
      if (input) await r.render(input);
      else this.provisional = false;
    });
    this.step(async (r) => {
      const input = this.finishing || !this.run ? undefined : rocChart({ ...this.run, models: this.done });
      if (input) await r.render(input);
    });
  }

  private draw(report: ModelReport): void {
    if (report.status !== 'ok' || this.requested.has(report.id)) return;
    this.requested.add(report.id);
    const input = confusionChart(report);
    if (input)
      this.step(async (r) => {
        this.confusion[report.id] = await r.render(input);
      });
  }

  /** The finished page for the run's report. `warn` hears why charts are missing, if they are. */
  async html(report: Report, warn: (message: string) => void = () => {}): Promise<string> {
    this.finishing = true;
    this.start();
    for (const m of report.models) this.draw(m);
    const input = overviewChart(report, fitTime);
    let overview: string | undefined;
    if (input)
      this.step(async (r) => {
        overview = await r.render(input);
      });
    const rocInput = rocChart(report);
    let roc: string | undefined;
    if (rocInput)
      this.step(async (r) => {
        roc = await r.render(rocInput);
      });
    await this.queue;
    await this.renderer?.close().catch(() => {});
    if (this.error) warn(`report.html has no charts: ${this.error}`);
    return formatReportHtml(report, {
      ...(overview ? { overview } : {}),
      ...(roc ? { roc } : {}),
      confusion: this.confusion,
      ...(this.error ? { error: this.error } : {}),
    });
  }
}

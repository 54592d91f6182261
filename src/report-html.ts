// report.html for a run. During `npm run train` the charts are drawn by the chart worker
// (workers/charts.ts), which loads vega while the models train: each model's confusion matrix is
// asked for as the model finishes, and only the overview chart waits for the last one. A chart
// that cannot be drawn costs the page its picture (with a note saying why), never the run.
import { confusionChart, overviewChart } from './charts/inputs.js';
import type { ChartDrawer } from './charts/worker-client.js';
import { formatReportHtml } from './format/html.js';
import type { RunTracker } from './progress.js';
import type { ModelReport, Report } from './report.js';

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

export class ReportHtml {
  private readonly confusion = new Map<string, Promise<string>>();

  constructor(
    private readonly drawer: ChartDrawer,
    tracker?: RunTracker,
  ) {
    tracker?.on((event) => {
      if (event.kind === 'model-done') this.draw(event.report);
    });
  }

  private draw(report: ModelReport): void {
    if (report.status !== 'ok' || this.confusion.has(report.id)) return;
    const input = confusionChart(report);
    if (!input) return;
    const svg = this.drawer.render(input);
    svg.catch(() => {}); // Collected, failure included, by html().
    this.confusion.set(report.id, svg);
  }

  /** The finished page for the run's report. `warn` hears why charts are missing, if they are. */
  async html(report: Report, warn: (message: string) => void = () => {}): Promise<string> {
    for (const m of report.models) this.draw(m);
    const input = overviewChart(report);
    const errors: string[] = [];
    const settle = async (svg: Promise<string>) => {
      try {
        return await svg;
      } catch (error) {
        errors.push(reason(error));
        return undefined;
      }
    };
    const [overview, ...matrices] = await Promise.all([
      input ? settle(this.drawer.render(input)) : undefined,
      ...[...this.confusion.values()].map(settle),
    ]);
    await this.drawer.close().catch(() => {});
    const confusion: Record<string, string> = {};
    [...this.confusion.keys()].forEach((id, i) => {
      const svg = matrices[i];
      if (svg !== undefined) confusion[id] = svg;
    });
    const error = errors[0];
    if (error) warn(`report.html has no charts: ${error}`);
    return formatReportHtml(report, { ...(overview ? { overview } : {}), confusion, ...(error ? { error } : {}) });
  }
}

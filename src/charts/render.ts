// charts/: report.html's, compare's and history's charts as Vega-Lite templates (templates.ts,
// compiled to Vega dataflows at build time), the data each chart shows (inputs.ts) and the
// headless renderer (this file, with load-vega.ts). May import results/ types and format/columns.
// Draws charts to SVG strings with Vega's headless SVG string renderer (no canvas, no DOM: text
// widths are estimated). vega itself is not bundled with the commands: load-vega.ts loads it on
// first use. Each template's dataflow, compiled at build time, is built once and redrawn for every
// chart of that kind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime, View } from 'vega';
import { projectRoot } from '../paths.js';
import type { ChartInput } from './inputs.js';
import { loadVega, saveVegaCache } from './load-vega.js';
import type { TemplateName } from './templates.js';

/** The compiled dataflow of a template: one file each, so a command reads only what it draws. */
function runtime(name: TemplateName): Runtime {
  const file = join(projectRoot, 'dist/charts', `${name}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Runtime;
  } catch (error) {
    throw new Error(`chart template not built: ${file}: ${(error as Error).message}; run \`npm run build\``);
  }
}

export class ChartRenderer {
  private readonly views = new Map<TemplateName, View>();

  /** Loads vega now rather than at the first drawing. */
  load(): void {
    loadVega();
  }

  /** Builds the dataflows of these templates now, before there is data to draw. */
  prepare(templates: readonly TemplateName[]): void {
    for (const name of templates) this.view(name);
  }

  private view(name: TemplateName): View {
    let view = this.views.get(name);
    if (!view) {
      const { View } = loadVega();
      view = new View(runtime(name), { renderer: 'none', logLevel: 0 });
      this.views.set(name, view);
    }
    return view;
  }

  /** Draws one chart. Calls must not overlap: views are reused. */
  async render(input: ChartInput): Promise<string> {
    const view = this.view(input.template);
    for (const [name, value] of Object.entries(input.signals)) view.signal(name, value as never);
    for (const [name, rows] of Object.entries(input.data)) view.data(name, rows);
    // The new data may need more room (longer labels, more rows): lay the chart out again.
    view.resize();
    await view.runAsync();
    return view.toSVG();
  }

  /** Frees the views and saves the code cache. */
  async close(): Promise<void> {
    for (const view of this.views.values()) view.finalize();
    this.views.clear();
    await saveVegaCache();
  }
}

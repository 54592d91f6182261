import { join, resolve } from 'node:path';
import { guard, useColor } from '../cli/common.js';
import { Command, integer, Option, parse, noColorOption, resultsDirOption } from '../cli/options.js';
import { historyChart } from '../charts/inputs.js';
import { writeChartPage } from '../charts/page.js';
import { UsageError } from '../errors.js';
import { colors } from '../format/console.js';
import { formatHistoryHtml, formatHistoryText } from '../format/history.js';
import { buildHistory, type HistoryMetric } from '../results/history.js';
import { shown, slug } from '../paths.js';
import { reportSkipped, scanRuns } from '../results/read.js';

interface HistoryOptions extends Record<string, unknown> {
  dataset?: string;
  metric: HistoryMetric;
  last?: number;
  resultsDir: string;
  html: string | boolean;
  color: boolean;
}

function program(): Command {
  return new Command('npm run history --')
    .description(
      "A data set's runs over time: one row per run with each model's accuracy, on the console and as a page with a chart.",
    )
    .addOption(new Option('--dataset <name>', 'the data set (default: that of the latest run)'))
    .addOption(
      new Option('--metric <metric>', 'test: accuracy on the test part; cv: CV mean accuracy')
        .choices(['test', 'cv'])
        .default('test'),
    )
    .addOption(new Option('--last <n>', 'only the latest n runs').argParser(integer('--last', 1)))
    .addOption(new Option('--html <file>', 'where to write the page (default: <results-dir>/history-<data set>.html)'))
    .addOption(new Option('--no-html', 'write no page'))
    .addOption(resultsDirOption('where run folders are'))
    .addOption(noColorOption())
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Unreadable reports are skipped with a warning naming them; unfinished run folders with a note.

Exit status: 0 done, 2 bad input (no results folder, no runs, an unknown data set).

Examples:
  npm run history
  npm run history -- --metric cv --last 20`,
    );
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('history', async () => {
    const options = parse<HistoryOptions>(program(), args);
    if (!options) return 0;
    const resultsDir = resolve(options.resultsDir);
    const scan = await scanRuns(resultsDir);
    reportSkipped('history', scan.skipped);
    const reports = scan.runs.map((r) => r.report);
    const latest = reports.at(-1);
    if (!latest) throw new UsageError(`no readable runs in ${shown(resultsDir)}; run \`npm run train\` first`);
    const dataset = options.dataset ?? latest.dataset.name;
    const history = buildHistory(reports, dataset, options.metric, options.last);
    if (history.rows.length === 0)
      throw new UsageError(
        `no runs on data set "${dataset}" in ${shown(resultsDir)}; it holds ${history.others.map((o) => o.dataset).join(', ')}`,
      );
    const c = colors(useColor(process.stdout, options.color));
    process.stdout.write(`${formatHistoryText(history, c)}\n`);

    if (options.html !== false) {
      const file =
        typeof options.html === 'string' ? resolve(options.html) : join(resultsDir, `history-${slug(dataset)}.html`);
      await writeChartPage('history', file, historyChart(history), (chart, chartError) =>
        formatHistoryHtml(history, chart, chartError),
      );
    }
    return 0;
  });
}

import { join, resolve } from 'node:path';
import { guard, useColor } from '../cli/common.js';
import { Command, Option, parse, noColorOption, resultsDirOption } from '../cli/options.js';
import { compareChart } from '../charts/inputs.js';
import { writeChartPage } from '../charts/page.js';
import { compareReports, regressionsBeyond } from '../results/compare.js';
import { UsageError } from '../errors.js';
import { formatCompareHtml, formatCompareText } from '../format/compare.js';
import { colors } from '../format/console.js';
import { shown } from '../paths.js';
import { reportSkipped, resolveRun, scanRuns, type Run } from '../results/read.js';
import { InvalidArgumentError } from 'commander';

interface CompareOptions extends Record<string, unknown> {
  resultsDir: string;
  failOnRegression?: number;
  significance?: number;
  sideBySide: boolean;
  html: string | boolean;
  color: boolean;
}

const pointsArg = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError(
      `--fail-on-regression must be a number of percentage points from 0 to 100, not "${value}".`,
    );
  return n;
};

const alphaArg = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n >= 1)
    throw new InvalidArgumentError(`--significance must be a level between 0 and 1, such as 0.05, not "${value}".`);
  return n;
};

function program(): Command {
  return new Command('npm run compare --')
    .description(
      'Compare two runs: per-model metric deltas (B minus A) with regressions marked, and the settings that differ. Also writes the comparison as a page.',
    )
    .argument(
      '[runA]',
      'the earlier run: a run id (or its unique start) in --results-dir, a run folder or a report.json',
    )
    .argument('[runB]', 'the later run (default: the latest run on the same data set as A)')
    .addOption(
      new Option(
        '--fail-on-regression <points>',
        "exit 1 when any model's accuracy dropped by more than this many percentage points (needs the same data and split)",
      ).argParser(pointsArg),
    )
    .addOption(
      new Option(
        '--significance <alpha>',
        "count a drop as a regression only when a paired test finds it significant at this level (p < alpha): McNemar's exact test on the test rows, or the corrected resampled t-test on shared CV folds",
      ).argParser(alphaArg),
    )
    .addOption(
      new Option(
        '--side-by-side',
        'for runs on different data sets: show both without deltas instead of refusing',
      ).default(false),
    )
    .addOption(new Option('--html <file>', 'where to write the page (default: <results-dir>/compare-<A>-vs-<B>.html)'))
    .addOption(new Option('--no-html', 'write no page'))
    .addOption(resultsDirOption('where run folders are'))
    .addOption(noColorOption())
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
With no runs named, compares the two latest runs on the data set of the latest run; with one, compares it
with the latest other run on its data set. Runs on different data sets are refused (exit 2) unless
--side-by-side is given; runs with different test rows (another seed or split) are compared, with a loud
note that the deltas are not like for like, but cannot gate with --fail-on-regression.

Each model present in both runs gets a paired test of its accuracy, B against A, with its p-value: the
Nadeau-Bengio corrected resampled t-test on the CV folds when both runs share them, McNemar's exact test on
the test rows when both have the same ones. With --significance, a drop is a regression only when its test
(the one on the measure --fail-on-regression checks) is significant; a drop that cannot be tested counts.

Exit status: 0 done, 1 a model regressed by more than --fail-on-regression, 2 bad input (a run not found or
unreadable, runs not comparable).

Examples:
  npm run compare
  npm run compare -- 20261121-231013-iris-601612 20261121-231510-iris-abc123
  npm run compare -- --fail-on-regression 2
  npm run compare -- --fail-on-regression 1 --significance 0.05`,
    );
}

function pickDefaults(runs: readonly Run[], a: Run | undefined, b: Run | undefined, resultsDir: string): [Run, Run] {
  if (a && b) return [a, b];
  const dataset = (a ?? runs.at(-1))?.report.dataset.name;
  const same = runs.filter((r) => r.report.dataset.name === dataset && r.dir !== a?.dir);
  if (a) {
    const latest = same.at(-1);
    if (!latest)
      throw new UsageError(`no other run on ${dataset} in ${shown(resultsDir)} to compare ${a.id} with; name run B`);
    return [a, latest];
  }
  if (same.length < 2)
    throw new UsageError(
      `need two runs to compare: ${shown(resultsDir)} holds ${same.length} readable run${same.length === 1 ? '' : 's'}${dataset ? ` on ${dataset}` : ''}; run \`npm run train\`, or name the runs`,
    );
  return [same.at(-2)!, same.at(-1)!];
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('compare', async () => {
    const cmd = program();
    const options = parse<CompareOptions>(cmd, args);
    if (!options) return 0;
    const [argA, argB] = cmd.processedArgs as [string | undefined, string | undefined];
    const resultsDir = resolve(options.resultsDir);
    const scan = await scanRuns(resultsDir);
    reportSkipped('compare', scan.skipped);
    const [a, b] = pickDefaults(
      scan.runs,
      argA === undefined ? undefined : await resolveRun(argA, resultsDir, scan),
      argB === undefined ? undefined : await resolveRun(argB, resultsDir, scan),
      resultsDir,
    );
    const comparison = compareReports(
      a.report,
      b.report,
      options.significance === undefined ? {} : { alpha: options.significance },
    );

    if (!comparison.sameData && !options.sideBySide)
      throw new UsageError(
        `not like for like: ${comparison.problems[0]}; compare two runs on the same data set (\`npm run history\` lists them), or pass --side-by-side to see both without deltas`,
      );
    if (options.failOnRegression !== undefined && !comparison.sameSplit)
      throw new UsageError(
        `--fail-on-regression needs two runs on the same data and split, and these are not like for like: ${comparison.problems[0]}`,
      );

    const failing =
      options.failOnRegression === undefined ? [] : regressionsBeyond(comparison, options.failOnRegression);
    const c = colors(useColor(process.stdout, options.color));
    process.stdout.write(
      `${formatCompareText(comparison, c, {
        ...(options.failOnRegression !== undefined ? { threshold: options.failOnRegression } : {}),
        failing,
      })}\n`,
    );

    if (options.html !== false) {
      const file =
        typeof options.html === 'string' ? resolve(options.html) : join(resultsDir, `compare-${a.id}-vs-${b.id}.html`);
      await writeChartPage('compare', file, compareChart(comparison), (chart, chartError) =>
        formatCompareHtml(comparison, chart, chartError),
      );
    }
    return failing.length > 0 ? 1 : 0;
  });
}

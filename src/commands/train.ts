// commands/: one thin entry point per `trainpool <command>` (bundled by scripts/build.mjs): each
// parses its flags (cli/), builds what it needs and calls the folder that does the work (api/,
// train/, results/, data/, execution/). Nothing else imports from here.
import { resolve } from 'node:path';
import type { TrainOptions } from '../api/train.js';
import type { TrainSettings } from '../api/settings.js';
import { findConfig, loadConfig } from '../cli/config.js';
import { guard, useColor } from '../cli/common.js';
import { addCsvOptions, datasetOption } from '../cli/data-options.js';
import {
  collect,
  Command,
  commandName,
  commaList,
  defaultThreads,
  fraction,
  integer,
  Option,
  parse,
  positiveSeconds,
  noColorOption,
  resultsDirOption,
} from '../cli/options.js';
import { redisUrl } from '../execution/bullmq/redis-url.js';
import { UsageError } from '../errors.js';
import { shown } from '../paths.js';
import { resolveRun } from '../results/read.js';
import { catchInterrupts } from '../train/interrupt.js';

/** Flags that are settings (api/settings.ts): the same names, camel case. */
const SETTING_FLAGS = [
  'dataset',
  'label',
  'delimiter',
  'missing',
  'models',
  'modelModule',
  'seed',
  'testSize',
  'splitFile',
  'cv',
  'foldsFile',
  'tune',
  'preprocess',
  'threads',
  'timeout',
  'maxMemoryMb',
  'retries',
  'backend',
  'redis',
  'resultsDir',
] as const;

interface TrainFlags extends Record<string, unknown> {
  json?: boolean;
  quiet?: boolean;
  color: boolean;
  config?: string;
  from?: string;
  resultsDir: string;
}

function program(): Command {
  const name = commandName('train');
  const command = new Command(name)
    .description(
      'Train every registered classifier in parallel on worker threads, print a leaderboard and write a report to results/<run-id>/ for each data set.',
    )
    .addOption(datasetOption('train on'))
    .addOption(
      new Option('--models <ids>', 'comma-separated model ids to train (default: all registered)').argParser(commaList),
    )
    .addOption(
      new Option(
        '--model-module <path>',
        'ES module (.js, .mjs, .ts) whose default export is an array of model definitions; repeatable',
      ).argParser(collect),
    );
  return addCsvOptions(command)
    .addOption(
      new Option('--seed <n>', 'seed for the split, the folds and every model')
        .default(42)
        .argParser(integer('--seed', 0, 2 ** 31 - 1)),
    )
    .addOption(
      new Option(
        '--test-size <fraction>',
        'share of rows held out for testing, stratified by class; 0 keeps every row for training',
      )
        .default(0.2)
        .argParser(fraction('--test-size')),
    )
    .addOption(
      new Option(
        '--split-file <json>',
        'explicit split {"train": [...], "test": [...]} of 0-based row indices (instead of --test-size)',
      ).conflicts('testSize'),
    )
    .addOption(
      new Option('--cv [k]', 'stratified k-fold cross-validation on the training part; --cv alone means 5').argParser(
        integer('--cv', 2, 100),
      ),
    )
    .addOption(
      new Option(
        '--folds-file <json>',
        'explicit CV folds {"testFolds": [[...], ...]} of row indices within the training part (implies --cv)',
      ),
    )
    .addOption(
      new Option('--tune', "score every candidate of each model's grid by CV and refit the best (implies --cv)"),
    )
    .addOption(
      new Option('--preprocess <kind>', "override every model's feature scaling").choices([
        'standardize',
        'minmax',
        'none',
      ]),
    )
    .addOption(
      new Option('--threads <n>', 'worker threads')
        .default(defaultThreads(), 'available parallelism')
        .argParser(integer('--threads', 1, 1024)),
    )
    .addOption(
      new Option(
        '--timeout <seconds>',
        'stop a task (one fit) that has not returned after this long; its worker is replaced (default: none)',
      ).argParser(positiveSeconds('--timeout')),
    )
    .addOption(
      new Option(
        '--max-memory-mb <n>',
        "cap each worker's JavaScript heap; a task over it fails as out-of-memory (default: V8's limit)",
      ).argParser(integer('--max-memory-mb', 16, 1024 * 1024)),
    )
    .addOption(
      new Option(
        '--retries <n>',
        'run a task again, on a fresh worker, when its worker crashed, ran out of memory or timed out',
      )
        .default(0)
        .argParser(integer('--retries', 0, 100)),
    )
    .addOption(
      new Option(
        '--backend <name>',
        'where tasks run: piscina (worker threads on this machine) or bullmq (`npm run worker` processes serving a Redis queue; their --concurrency replaces --threads)',
      )
        .choices(['piscina', 'bullmq'])
        .default('piscina'),
    )
    .addOption(
      new Option('--redis <url>', 'the Redis of --backend bullmq, e.g. redis://127.0.0.1:6379').argParser(redisUrl),
    )
    .addOption(resultsDirOption('where run folders are written'))
    .addOption(
      new Option(
        '--config <file>',
        'settings from this file instead of trainpool.config.json/.mjs/.ts (found in this folder or above, up to the project); flags override it',
      ),
    )
    .addOption(
      new Option(
        '--from <run>',
        'repeat a run from the settings its report recorded (a run id or its start, latest, a run folder); flags given beside it override them',
      ).conflicts('config'),
    )
    .addOption(new Option('--json', 'print report.json to stdout instead of the leaderboard'))
    .addOption(new Option('--quiet', 'print nothing but errors and, with --json, the report'))
    .addOption(noColorOption())
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Exit status: 0 when every model trained, 1 when any model failed, 2 for bad input (nothing is
written), 130 when stopped by Ctrl-C (SIGINT), 143 by SIGTERM. An interrupted run stops its tasks
and writes the report of what finished; a second Ctrl-C quits at once.

Settings: every flag is also a key of trainpool.config.json (--test-size is "testSize"), where
"dataset" may give each CSV file its own options: [{"path": "a.csv", "label": "species"}, "b.csv"].

Examples:
  ${name.replace(/ --$/, '')}
  ${name} --dataset ./my-data.csv --label species
  ${name} --models svm,random-forest --threads 1
  ${name} --split-file test/fixtures/iris_split_42.json
  ${name} --cv 5 --tune
  ${name} --config ./experiments/wine.config.json --seed 7
  ${name} --from latest --threads 1
  ${name} --model-module ./my-models.mjs --json
  ${name} --timeout 60 --max-memory-mb 512 --retries 1
  ${name} --backend bullmq --redis redis://10.0.0.5:6379 --cv 5 --tune`,
    );
}

/** The settings `--from <run>` repeats, and the data hash the run must still find. */
async function fromRun(arg: string, resultsDir: string, dataGiven: boolean) {
  const run = await resolveRun(arg, resultsDir);
  const recorded = run.report.settings;
  if (!recorded)
    throw new UsageError(
      `--from ${arg}: run ${run.report.runId} recorded no settings (its report is of a version before they were); repeat it with its flags`,
    );
  const { dataset, ...rest } = recorded as Record<string, unknown>;
  if (dataset === null && !dataGiven)
    throw new UsageError(
      `--from ${arg}: run ${run.report.runId} trained on data passed in memory, which cannot be read again here; give it with --dataset`,
    );
  return {
    settings: (dataset === null ? rest : recorded) as TrainSettings,
    // Another data set on purpose (--dataset) is not the run's data changing under it.
    check: dataGiven ? undefined : { runId: run.report.runId, sha256: run.report.dataset.sha256 },
  };
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('train', async () => {
    const cmd = program();
    const flags = parse<TrainFlags>(cmd, args);
    if (!flags) return 0;
    // Only flags typed on the command line override the file's settings, not their defaults.
    const typed = Object.fromEntries(
      SETTING_FLAGS.filter((key) => cmd.getOptionValueSource(key) === 'cli').map((key) => [key, flags[key]]),
    ) as TrainSettings;
    let base: TrainSettings = {};
    let source = 'train';
    let check: { runId: string; sha256: string } | undefined;
    if (flags.from !== undefined) {
      const from = await fromRun(flags.from, resolve(flags.resultsDir), typed.dataset !== undefined);
      base = from.settings;
      check = from.check;
      source = `--from ${flags.from}`;
    } else {
      const file = flags.config !== undefined ? resolve(flags.config) : findConfig();
      if (file !== undefined) {
        base = await loadConfig(file);
        source = shown(file);
      }
    }
    // A split file and a test size replace each other.
    if (typed.splitFile !== undefined) delete base.testSize;
    if (typed.testSize !== undefined) delete base.splitFile;
    const options: TrainOptions = { resultsDir: flags.resultsDir, ...base, ...typed };
    const interrupt = catchInterrupts();
    try {
      const { runTrain } = await import('../api/train.js');
      const outcome = await runTrain(options, {
        output: {
          json: flags.json === true,
          quiet: flags.quiet === true,
          color: useColor(process.stdout, flags.color),
        },
        signal: interrupt.signal,
        source,
        ...(check ? { from: check } : {}),
      });
      return outcome.exitStatus;
    } finally {
      interrupt.dispose();
    }
  });
}

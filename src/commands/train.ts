// commands/: one thin entry point per `npm run <command>` (bundled by scripts/build.mjs): each
// parses its flags (cli/), builds what it needs and calls the folder that does the work (train/,
// results/, data/, execution/). Nothing else imports from here.
import { guard, useColor } from '../cli/common.js';
import { addCsvOptions, addSourceOptions, datasetOption, type SourceFlags } from '../cli/data-options.js';
import {
  collect,
  Command,
  commaList,
  defaultThreads,
  duration,
  fraction,
  integer,
  Option,
  parse,
  positiveSeconds,
  noColorOption,
  resultsDirOption,
} from '../cli/options.js';
import { checkCsvFlagsApply, csvOptions, type DataOptions } from '../cli/data-options.js';
import { measureArg, measureList, paramArg } from '../cli/measures.js';
import type { ParamSetting } from '../models/registry.js';
import type { MeasureSpec } from '../results/report.js';
import { redisUrl, redisUrlFrom } from '../execution/bullmq/redis-url.js';
import { UsageError } from '../errors.js';
import { createExecutor, type BackendOptions } from '../execution/backends.js';
import type { Preprocessing } from '../ml/estimator.js';
import { resolveResumable } from '../results/read.js';
import { catchInterrupts } from '../train/interrupt.js';
import { reserveStdout } from '../train/progress.js';
import { readSavedRun, settingsOf, type SavedRun } from '../train/resume.js';

interface TrainFlags extends Record<string, unknown>, DataOptions, SourceFlags {
  models?: string[];
  modelModule?: string[];
  seed: number;
  testSize: number;
  splitFile?: string;
  cv?: number | true;
  foldsFile?: string;
  tune?: boolean;
  preprocess?: Preprocessing;
  threads: number;
  resultsDir: string;
  json?: boolean;
  quiet?: boolean;
  color: boolean;
  timeout?: number;
  maxMemoryMb?: number;
  retries: number;
  backend: 'piscina' | 'bullmq';
  redis?: string;
  param?: ParamSetting[];
  sortBy?: MeasureSpec;
  columns?: MeasureSpec[];
  resume?: string;
  budget?: number;
  budgetGrace: number;
}

/** More worker threads than this per core are refused. */
const MAX_THREADS_PER_CORE = 4;

/** Flags that decide a run's tasks: a resumed run keeps its own, so none may be given with --resume. */
const TASK_FLAGS = [
  'dataset',
  'label',
  'delimiter',
  'missing',
  'maxCategories',
  'records',
  'sha256',
  'models',
  'modelModule',
  'param',
  'seed',
  'testSize',
  'splitFile',
  'cv',
  'foldsFile',
  'tune',
  'preprocess',
] as const;

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The backend the flags ask for; flags that do not fit it are usage errors. */
function backendOptions(flags: TrainFlags): BackendOptions {
  const common = {
    retries: flags.retries,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }),
  };
  if (flags.backend === 'piscina') {
    // REDIS_URL alone does not ask for the BullMQ backend: it may be set for other tools.
    if (flags.redis !== undefined)
      throw new UsageError('--redis is only used with --backend bullmq; add --backend bullmq or drop --redis');
    // Refused rather than capped: a run does what it was asked, or says why not. Threads beyond
    // the cores add memory and start-up time and no speed (1,024 on iris: 77 s and 3.2 GB).
    const cores = defaultThreads();
    if (flags.threads > MAX_THREADS_PER_CORE * cores)
      throw new UsageError(
        `--threads ${flags.threads} is more than ${MAX_THREADS_PER_CORE}x this machine's ${cores} cores; more threads than cores only add memory and start-up time: use at most ${MAX_THREADS_PER_CORE * cores} (the default, ${cores}, is one per core)`,
      );
    return {
      backend: 'piscina',
      threads: flags.threads,
      ...(flags.maxMemoryMb === undefined ? {} : { maxMemoryMb: flags.maxMemoryMb }),
      ...common,
    };
  }
  const url = redisUrlFrom(flags.redis);
  if (url === undefined)
    throw new UsageError(
      '--backend bullmq needs --redis <url> (or REDIS_URL), the Redis its workers use, e.g. redis://127.0.0.1:6379',
    );
  if (flags.maxMemoryMb !== undefined)
    throw new UsageError(
      '--max-memory-mb caps the threads of the local pool; with --backend bullmq give it to each `npm run worker`',
    );
  return {
    backend: 'bullmq',
    url,
    ...common,
    ...(flags.quiet ? {} : { log: (line: string) => process.stderr.write(`${line}\n`) }),
  };
}

function program(): Command {
  const command = new Command('npm run train --')
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
  return addSourceOptions(addCsvOptions(command))
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
      new Option(
        '--param <model.key=value>',
        "set one of a model's params, the value as JSON (svm.C=10, random-forest.maxDepth=null, svm.gamma=auto); checked against the model's params schema, and no longer tuned; repeatable",
      ).argParser(paramArg),
    )
    .addOption(
      new Option(
        '--sort-by <metric>',
        'leaderboard order: a metric (accuracy, auc, logLoss, mcc, ...; test.<metric> or cv.<metric> for those scores) or fit/predict time (default: CV accuracy with CV, else test accuracy)',
      ).argParser(measureArg('--sort-by')),
    )
    .addOption(
      new Option(
        '--columns <metrics>',
        "the console leaderboard's columns, comma-separated, as --sort-by names them (default: accuracy, auc, recall, precision, F1, kappa, MCC, log loss, fit, predict)",
      ).argParser(measureList('--columns')),
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
      new Option(
        '--redis <url>',
        'the Redis of --backend bullmq, e.g. redis://127.0.0.1:6379, rediss://user:password@host:6380 for TLS (default: REDIS_URL)',
      ).argParser(redisUrl),
    )
    .addOption(
      new Option(
        '--resume <run>',
        'resume a run that stopped before it finished (Ctrl-C, a crash, a kill, a power cut, its --budget) with its own settings: only the tasks its journal lacks run; a run id or its start, latest, or a run folder',
      ),
    )
    .addOption(
      new Option(
        '--budget <duration>',
        'time budget for the whole run, e.g. 90s, 15m, 1h30m: after it no task starts, running ones may finish within --budget-grace, the rest are reported as not run',
      ).argParser(duration('--budget')),
    )
    .addOption(
      new Option(
        '--budget-grace <duration>',
        'how long tasks running when the budget ends may go on before they are stopped',
      )
        .default(5_000, '5s')
        .argParser(duration('--budget-grace', true)),
    )
    .addOption(resultsDirOption('where run folders are written'))
    .addOption(new Option('--json', 'print report.json to stdout instead of the leaderboard'))
    .addOption(new Option('--quiet', 'print nothing but errors and, with --json, the report'))
    .addOption(noColorOption())
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Exit status: 0 when every model trained (or was left out by --budget), 1 when any model failed, 2
for bad input (nothing is written), 3 when the run folder could not be written to the results
folder (it is saved in a fallback folder, printed), 130 when stopped by Ctrl-C (SIGINT), 143 by
SIGTERM. An interrupted run stops its tasks and writes the report of what finished; a second
Ctrl-C quits at once. Either way, and after a crash or a kill, --resume runs only what had not
finished.

Examples:
  npm run train
  npm run train -- --dataset wine --dataset ./my-data.csv --label species
  npm run train -- --dataset openml:61 --dataset https://example.org/data.csv.gz
  npm run train -- --models svm,random-forest --threads 1
  npm run train -- --split-file ../shared/reference/iris_split_42.json
  npm run train -- --cv 5 --tune
  npm run train -- --dataset test/fixtures/sklearn/breast-cancer.csv --sort-by auc
  npm run train -- --param svm.C=10 --param knn.nNeighbors=7 --columns accuracy,logLoss,fit
  npm run train -- --model-module ./my-models.mjs --json
  npm run train -- --timeout 60 --max-memory-mb 512 --retries 1
  npm run train -- --cv 5 --tune --budget 30m
  npm run train -- --resume latest
  npm run train -- --backend bullmq --redis redis://10.0.0.5:6379 --cv 5 --tune`,
    );
}

export async function main(args: readonly string[]): Promise<number> {
  // The budget counts from here: it is the whole run's, loading and writing included.
  const startedAt = performance.now();
  return guard('train', async () => {
    const command = program();
    const flags = parse<TrainFlags>(command, args);
    if (!flags) return 0;
    // With --json, stdout carries the report and nothing else: whatever model code prints on this
    // thread goes to stderr (the workers' output never comes here).
    const stdout = flags.json ? reserveStdout() : undefined;
    const given = (key: string) => command.getOptionValueSource(key) === 'cli';
    if (given('budgetGrace') && flags.budget === undefined)
      throw new UsageError('--budget-grace is the grace of --budget; give --budget too, or drop it');
    let resume: SavedRun | undefined;
    if (flags.resume !== undefined) {
      const fixed = TASK_FLAGS.filter(given);
      if (fixed.length > 0)
        throw new UsageError(
          `--resume continues a run with its own settings; drop ${fixed.map(flagName).join(', ')} (or start a new run with them)`,
        );
      const found = await resolveResumable(flags.resume, flags.resultsDir);
      resume = await readSavedRun(found.dir);
    }
    // Start the workers before loading the rest: they boot and load the models while this thread
    // loads its own modules and the data.
    const executor = await createExecutor(backendOptions(flags));
    const interrupt = catchInterrupts();
    try {
      const [{ train }, { BUILTIN_DATASETS }] = await Promise.all([
        import('../train/train.js'),
        import('../data/load.js'),
      ]);
      if (!resume) checkCsvFlagsApply(flags, flags.dataset ?? ['iris'], (arg) => BUILTIN_DATASETS.includes(arg));
      const { resume: _ref, budget: _budget, ...rest } = flags;
      return await train(
        {
          ...rest,
          csv: csvOptions(flags),
          ...(resume ? { ...settingsOf(resume), resume } : {}),
          // The download flags as given, but what decides a resumed run's data is its own.
          sources: resume ? { ...flags, ...settingsOf(resume).sources } : flags,
          color: useColor(process.stdout, flags.color),
          ...(stdout ? { writeReport: stdout.write } : {}),
          ...(flags.budget === undefined
            ? {}
            : { budget: { ms: flags.budget, graceMs: flags.budgetGrace, startedAt } }),
        },
        executor,
        interrupt.signal,
      );
    } finally {
      await executor.close();
      // The signal handlers stay until the process has exited: a Ctrl-C while it winds down (the
      // report already written) would otherwise end it by the signal, status 130, although the
      // run is complete. A second one, a second later, still ends it at once.
      stdout?.release();
    }
  });
}

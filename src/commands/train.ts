import { guard } from '../cli/common.js';
import { addCsvOptions, datasetOption } from '../cli/data-options.js';
import {
  collect,
  Command,
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
import type { Executor } from '../execution/executor.js';
import { catchInterrupts } from '../train/interrupt.js';
import { PiscinaExecutor } from '../execution/piscina.js';
import { ReliableExecutor } from '../execution/reliability.js';
import type { TrainOptions } from '../train/train.js';

interface TrainCommandOptions extends TrainOptions {
  timeout?: number;
  maxMemoryMb?: number;
  retries: number;
  backend: 'piscina' | 'bullmq';
  redis?: string;
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

Examples:
  npm run train
  npm run train -- --dataset wine --dataset ./my-data.csv --label species
  npm run train -- --models svm,random-forest --threads 1
  npm run train -- --split-file ../shared/reference/iris_split_42.json
  npm run train -- --cv 5 --tune
  npm run train -- --model-module ./my-models.mjs --json
  npm run train -- --timeout 60 --max-memory-mb 512 --retries 1
  npm run train -- --backend bullmq --redis redis://10.0.0.5:6379 --cv 5 --tune`,
    );
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('train', async () => {
    const options = parse<TrainCommandOptions>(program(), args);
    if (!options) return 0;
    if (options.redis !== undefined && options.backend !== 'bullmq')
      throw new UsageError('--redis is only used with --backend bullmq; add --backend bullmq or drop --redis');
    // Start the workers before loading the rest: they boot and load the models while this thread
    // loads its own modules and the data. The BullMQ backend retries and times out tasks itself,
    // on the workers (job attempts with backoff; the clock starts when a worker takes the task).
    const executor: Executor =
      options.backend === 'bullmq'
        ? await (await import('../execution/bullmq/coordinator.js')).connectForTrain(options)
        : new ReliableExecutor(
            new PiscinaExecutor({
              threads: options.threads,
              ...(options.maxMemoryMb === undefined ? {} : { maxMemoryMb: options.maxMemoryMb }),
            }),
            {
              retries: options.retries,
              ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout * 1000 }),
            },
          );
    const interrupt = catchInterrupts((signal) => {
      if (!options.quiet)
        process.stderr.write(
          `train: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping; writing the report of what finished (press Ctrl-C again to quit at once)\n`,
        );
    });
    try {
      const { train } = await import('../train/train.js');
      return await train(options, executor, interrupt.signal);
    } finally {
      await executor.close();
      interrupt.dispose();
    }
  });
}

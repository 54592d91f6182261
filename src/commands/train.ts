import { resolve } from 'node:path';
import { guard } from '../cli/common.js';
import { collect, Command, commaList, defaultThreads, fraction, integer, Option, parse } from '../cli/options.js';
import { redisUrl } from '../cluster/url.js';
import { UsageError } from '../errors.js';
import type { Executor } from '../executor.js';
import { projectRoot } from '../paths.js';
import { PiscinaExecutor } from '../pool.js';
import type { TrainOptions } from '../train.js';

function program(): Command {
  return new Command('npm run train --')
    .description(
      'Train every registered classifier in parallel on worker threads, print a leaderboard and write a report to results/<run-id>/.',
    )
    .addOption(
      new Option('--models <ids>', 'comma-separated model ids to train (default: all registered)').argParser(commaList),
    )
    .addOption(
      new Option(
        '--model-module <path>',
        'ES module (.js, .mjs, .ts) whose default export is an array of model definitions; repeatable',
      ).argParser(collect),
    )
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
        'explicit split {"train": [...], "test": [...]} of 0-based row indices (replaces --test-size)',
      ),
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
      new Option(
        '--tune',
        "score every candidate of each model's grid by CV and refit the best (implies --cv)",
      ).default(false),
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
        '--backend <name>',
        'where tasks run: piscina (worker threads on this machine) or bullmq (`npm run worker` processes serving a Redis queue; their --concurrency replaces --threads)',
      )
        .choices(['piscina', 'bullmq'])
        .default('piscina'),
    )
    .addOption(
      new Option('--redis <url>', 'the Redis of --backend bullmq, e.g. redis://127.0.0.1:6379').argParser(redisUrl),
    )
    .addOption(
      new Option('--results-dir <dir>', 'where run folders are written').default(
        resolve(projectRoot, 'results'),
        'results/',
      ),
    )
    .addOption(new Option('--json', 'print report.json to stdout instead of the leaderboard').default(false))
    .addOption(new Option('--quiet', 'print nothing but errors and, with --json, the report').default(false))
    .addOption(new Option('--no-color', 'plain output even on a terminal (NO_COLOR is honoured too)'))
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Exit status: 0 when every model trained, 1 when any model failed, 2 for bad input (nothing is written).

Examples:
  npm run train
  npm run train -- --models svm,random-forest --threads 1
  npm run train -- --split-file ../shared/reference/iris_split_42.json
  npm run train -- --cv 5 --tune
  npm run train -- --model-module ./my-models.mjs --json
  npm run train -- --backend bullmq --redis redis://10.0.0.5:6379 --cv 5 --tune`,
    );
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('train', async () => {
    const options = parse<TrainOptions & { backend: 'piscina' | 'bullmq'; redis?: string }>(program(), args);
    if (!options) return 0;
    if (options.redis !== undefined && options.backend !== 'bullmq')
      throw new UsageError('--redis is only used with --backend bullmq; add --backend bullmq or drop --redis');
    // Start the workers before loading the rest: they boot and load the models while this thread
    // loads its own modules and the data.
    const executor: Executor =
      options.backend === 'bullmq'
        ? await (await import('../cluster/executor.js')).connectForTrain(options)
        : new PiscinaExecutor({ threads: options.threads });
    try {
      const { train } = await import('../train.js');
      return await train(options, executor);
    } finally {
      await executor.close();
    }
  });
}

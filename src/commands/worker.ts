import { resolve } from 'node:path';
import { guard } from '../cli/common.js';
import { collect, Command, defaultThreads, integer, Option, parse } from '../cli/options.js';
import { UsageError } from '../errors.js';
import { redisUrl, redisUrlFrom } from '../execution/bullmq/redis-url.js';

interface WorkerFlags extends Record<string, unknown> {
  redis?: string;
  concurrency: number;
  maxMemoryMb?: number;
  modelModule?: string[];
  lockDuration: number;
  stalledInterval: number;
  redisGrace: number;
}

function program(): Command {
  return new Command('npm run worker --')
    .description(
      'Serve `npm run train -- --backend bullmq` coordinators: take training tasks from a Redis-backed BullMQ queue and run them on worker threads here. Runs until stopped (Ctrl-C finishes the running tasks first; a second Ctrl-C stops at once).',
    )
    .addOption(
      new Option(
        '--redis <url>',
        'the Redis the coordinators use, e.g. redis://10.0.0.5:6379, rediss://user:password@host:6380 for TLS (default: REDIS_URL)',
      ).argParser(redisUrl),
    )
    .addOption(
      new Option('--concurrency <n>', 'worker threads, and tasks run at once')
        .default(defaultThreads(), 'available parallelism')
        .argParser(integer('--concurrency', 1, 1024)),
    )
    .addOption(
      new Option(
        '--max-memory-mb <n>',
        "cap each thread's JavaScript heap; a task over it fails as out-of-memory (default: V8's limit)",
      ).argParser(integer('--max-memory-mb', 16, 1024 * 1024)),
    )
    .addOption(
      new Option(
        '--model-module <path>',
        'a model module the coordinators use (.js, .mjs, .ts), checked at start; a task runs a module only when it is given here, matched by file name and content; repeatable',
      ).argParser(collect),
    )
    .addOption(
      new Option('--lock-duration <ms>', 'a task whose worker stops renewing its lock for this long is taken again')
        .default(30_000)
        .argParser(integer('--lock-duration', 1_000, 3_600_000)),
    )
    .addOption(
      new Option('--stalled-interval <ms>', 'how often to look for such tasks')
        .default(30_000)
        .argParser(integer('--stalled-interval', 500, 3_600_000)),
    )
    .addOption(
      new Option('--redis-grace <seconds>', 'stop with exit status 1 when Redis stays unreachable this long')
        .default(60)
        .argParser(integer('--redis-grace', 1, 86_400)),
    )
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Environment: REDIS_URL instead of --redis (a password there is not shown by ps); TRAINPOOL_SECRET,
the secret shared with the coordinators: jobs must be signed with it, results are.

Exit status: 130 after Ctrl-C, 143 after SIGTERM (once the running tasks are done), 1 when Redis
stayed unreachable (or refused writes) for --redis-grace, 2 for bad input or a Redis that cannot
be reached, or would evict keys, at start.

Examples:
  npm run worker -- --redis redis://10.0.0.5:6379
  npm run worker -- --redis redis://10.0.0.5:6379 --concurrency 8 --model-module ./my-models.mjs`,
    );
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('worker', async () => {
    const flags = parse<WorkerFlags>(program(), args);
    if (!flags) return 0;
    const url = redisUrlFrom(flags.redis);
    if (url === undefined) throw new UsageError("required option '--redis <url>' not specified (or set REDIS_URL)");
    const { startWorker } = await import('../execution/bullmq/worker-process.js');
    const worker = await startWorker({
      url,
      concurrency: flags.concurrency,
      ...(flags.maxMemoryMb === undefined ? {} : { maxMemoryMb: flags.maxMemoryMb }),
      modules: (flags.modelModule ?? []).map((p) => resolve(p)),
      lockDurationMs: flags.lockDuration,
      stalledIntervalMs: flags.stalledInterval,
      graceMs: flags.redisGrace * 1000,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    let signalled: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      const code = signal === 'SIGINT' ? 130 : 143;
      if (signalled !== undefined) {
        // A second signal: stop at once. Running tasks stall and other workers take them.
        process.exit(code);
      }
      signalled = code;
      process.stdout.write(`worker ${worker.id}: stopping after the running tasks (again to stop at once)\n`);
      void worker.stop(false);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const code = await worker.done;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    return signalled ?? code;
  });
}

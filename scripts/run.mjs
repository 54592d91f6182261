// `npm run <command>` entry: node scripts/run.mjs <command> [args...]
import { ensureBuilt } from './stale.mjs';

const commands = {
  train: '../dist/src/commands/train.js',
  bench: '../dist/src/commands/bench.js',
  inspect: '../dist/src/commands/inspect.js',
  predict: '../dist/src/commands/predict.js',
  compare: '../dist/src/commands/compare.js',
  history: '../dist/src/commands/history.js',
  worker: '../dist/src/commands/worker.js',
};

const [name, ...args] = process.argv.slice(2);
const target = name === undefined ? undefined : commands[name];
if (target === undefined) {
  console.error(`trainpool: unknown command "${name ?? ''}"; known: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
// `npm run train | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
await ensureBuilt();
const { main } = await import(target);
// Once a command has its exit status, the process ends with it. A natural exit first closes the
// signal handlers, and a Ctrl-C in those last milliseconds would end it by the signal (130)
// although everything was done and written; process.exit keeps them to the end.
process.exit(await main(args));

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
process.exitCode = await main(args);
// The process ends once nothing is left to do (a worker thread stuck in a native call keeps it,
// and a second Ctrl-C can still end it then). Its natural exit would first restore the default
// signal handlers, and a Ctrl-C in those last milliseconds would end it by the signal (status 130)
// although everything was done and written: process.exit from here keeps them to the end.
process.on('exit', (code) => process.exit(code));

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

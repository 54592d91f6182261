#!/usr/bin/env node
// The `trainpool` command: `trainpool <command> [flags]`, installed as the package's bin, and what
// `npm run <command>` runs in a clone (scripts/run.mjs). A clone rebuilds dist/ first when a source
// is newer (scripts/stale.mjs); an installed package runs the dist/ it was packed with and never
// tries to build inside node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const commands = {
  train: 'train a set of models on data sets and write a report per data set',
  compare: 'compare two runs, model by model',
  history: "a data set's runs over time",
  inspect: 'load and validate data sets without training',
  predict: 'predict the classes of new rows with a saved model',
  'check-model': 'run the conformance checks on model definitions',
  worker: 'serve `train --backend bullmq` runs from a Redis queue',
  bench: 'the benchmarks (in a clone of the repository)',
};
const usage = () =>
  `Usage: trainpool <command> [flags]; trainpool <command> --help for a command's flags\n\n${Object.entries(commands)
    .map(([name, what]) => `  ${name.padEnd(12)} ${what}`)
    .join('\n')}\n`;

const [name, ...args] = process.argv.slice(2);
if (name === '--help' || name === '-h' || name === 'help') {
  process.stdout.write(usage());
  process.exit(0);
}
if (name === '--version' || name === '-v') {
  process.stdout.write(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
  process.exit(0);
}
if (name === undefined || !Object.hasOwn(commands, name)) {
  process.stderr.write(
    name === undefined ? usage() : `trainpool: unknown command "${name}"; known: ${Object.keys(commands).join(', ')}\n`,
  );
  process.exit(2);
}

const clone = existsSync(join(root, 'scripts/stale.mjs')) && !root.split(sep).includes('node_modules');
if (clone) {
  const stale = '../scripts/stale.mjs';
  await (await import(stale)).ensureBuilt();
} else if (name === 'bench') {
  process.stderr.write(
    "bench: error: the benchmarks use the repository's test fixtures and scripts; run them in a clone of it\n",
  );
  process.exit(2);
} else if (!existsSync(join(root, 'dist/src/commands', `${name}.js`))) {
  process.stderr.write(
    `trainpool: ${join(root, 'dist')} is missing or incomplete: this copy was never built; \`npm pack\` builds it\n`,
  );
  process.exit(2);
}

// `npm run <command>` starts in the package's folder; the paths were typed where INIT_CWD says.
if (process.env.npm_lifecycle_event === name && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// `trainpool train | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import(`../dist/src/commands/${name}.js`);
process.exitCode = await main(args);
// The process ends once nothing is left to do (a worker thread stuck in a native call keeps it,
// and a second Ctrl-C can still end it then). Its natural exit would first restore the default
// signal handlers, and a Ctrl-C in those last milliseconds would end it by the signal (status 130)
// although everything was done and written: process.exit from here keeps them to the end.
process.on('exit', (code) => process.exit(code));

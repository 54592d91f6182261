// Shared by the CSV bench sections: the generated data file, child processes measured for wall
// time and peak memory, and pandas run side by side.
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { projectRoot } from '../src/paths.js';

export interface GeneratedCsv {
  path: string;
  rows: number;
  features: number;
  bytes: number;
}

/**
 * Writes `rows` rows of `features` numbers (6 decimals, like a typical export) and a 3-class
 * string label, deterministic for a seed. Reused when the same file is asked for again.
 */
export async function generateCsv(scratch: string, rows: number, features = 10, seed = 1): Promise<GeneratedCsv> {
  const path = join(scratch, `generated-${rows}x${features}-${seed}.csv`);
  if (existsSync(path)) return { path, rows, features, bytes: statSync(path).size };
  const out = createWriteStream(path);
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const classes = ['alpha', 'beta', 'gamma'];
  let chunk = `${Array.from({ length: features }, (_, j) => `f${j}`).join(',')},label\n`;
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    const c = i % 3;
    for (let j = 0; j < features; j++) chunk += `${(random() * 20 - 10 + c).toFixed(6)},`;
    chunk += `${classes[c]}\n`;
    if (chunk.length > 1 << 20) {
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  bytes += chunk.length;
  out.end(chunk);
  await once(out, 'finish');
  return { path, rows, features, bytes };
}

export interface Measured {
  wallMs: number;
  /** Peak resident set size of the whole process (every thread), in bytes. */
  peakRss: number;
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run <command>` as a child process and measures its wall time and its peak RSS: a
 * preloaded script records process.resourceUsage().maxRSS as the process exits.
 */
export async function measureCommand(scratch: string, command: string, args: readonly string[]): Promise<Measured> {
  const preload = join(scratch, 'record-peak-rss.cjs');
  const record = join(scratch, `peak-rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  await writeFile(
    preload,
    `require('node:worker_threads').isMainThread && process.on('exit', () => require('node:fs').writeFileSync(process.env.TRAINPOOL_BENCH_RSS, String(process.resourceUsage().maxRSS * 1024)));\n`,
  );
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--require', preload, join(projectRoot, 'scripts/run.mjs'), command, ...args],
    {
      cwd: projectRoot,
      env: { ...process.env, NO_COLOR: '1', TRAINPOOL_BENCH_RSS: record },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number];
  const wallMs = performance.now() - started;
  const peakRss = Number(await readFile(record, 'utf8').catch(() => 'NaN'));
  return { wallMs, peakRss, code, stdout, stderr };
}

export type PandasResult =
  | { available: true; readCsvMs: number; wallMs: number; peakRss: number; python: string }
  | { available: false; reason: string };

const PANDAS_SCRIPT = `
import resource, sys, time
import pandas
t = time.perf_counter()
frame = pandas.read_csv(sys.argv[1])
ms = (time.perf_counter() - t) * 1000
print(ms, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, frame.shape[0])
`;

/**
 * Finds a python3 that can import `module`: Debian's (/usr/bin/python3 with python3-pandas or
 * python3-sklearn) first, then the one on PATH (here a pyenv build without either).
 */
export async function findPython(module: string): Promise<string | undefined> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const ok = await new Promise<boolean>((done) =>
      execFile(python, ['-c', `import ${module}`], (error) => done(!error)),
    );
    if (ok) return python;
  }
  return undefined;
}

/** pandas.read_csv on the file: its own time, and the whole python process's. */
export async function measurePandas(python: string | undefined, path: string): Promise<PandasResult> {
  if (!python) {
    return {
      available: false,
      reason: 'pandas is not installed (apt-get install python3-pandas); no side-by-side figure',
    };
  }
  const started = performance.now();
  const output = await new Promise<string>((done, fail) =>
    execFile(python, ['-c', PANDAS_SCRIPT, path], { maxBuffer: 1 << 20 }, (error, stdout) =>
      error ? fail(error) : done(stdout),
    ),
  );
  const wallMs = performance.now() - started;
  const [readCsvMs, peakRss] = output.trim().split(/\s+/).map(Number) as [number, number];
  return { available: true, readCsvMs, wallMs, peakRss, python };
}

export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// Runs the real CLI as a child process that a test can watch and signal, and reads what it left
// in its results folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseReport } from '../../src/results/schema.js';
import type { Report } from '../../src/results/report.js';
import { root } from './helpers.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Running {
  child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
}

/** Starts `node scripts/run.mjs <command> ...args`, as `npm run` does, without waiting for it. */
export function start(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = root): Running {
  const child = spawn(process.execPath, [join(cwd, 'scripts/run.mjs'), command, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls until `check` holds; generous by default, since other test files share the CPUs. */
export async function waitUntil(what: string, check: () => boolean, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

export interface Folder {
  /** Visible run folders. */
  runs: string[];
  /** Hidden entries (staging folders, temporary files). */
  hidden: string[];
}

export function listResults(resultsDir: string): Folder {
  const names = existsSync(resultsDir) ? readdirSync(resultsDir) : [];
  return { runs: names.filter((n) => !n.startsWith('.')).sort(), hidden: names.filter((n) => n.startsWith('.')) };
}

export function readReport(resultsDir: string, run: string): Report {
  return parseReport(readFileSync(join(resultsDir, run, 'report.json'), 'utf8'));
}

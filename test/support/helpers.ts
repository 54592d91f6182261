import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseReport } from '../../src/results/schema.js';
import type { Report } from '../../src/results/report.js';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const fixture = (name: string) => join(root, 'test/fixtures', name);
export const tempDir = (prefix = 'trainpool-test-') => mkdtempSync(join(tmpdir(), prefix));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command exactly as `npm run <command> -- ...args` does, in its own process. */
export function runCli(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(root, 'scripts/run.mjs'), command, ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Trains into a fresh results folder and returns the run's validated report. */
export async function train(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const resultsDir = tempDir();
  const result = await runCli('train', ['--results-dir', resultsDir, '--quiet', ...args], env);
  const runs = readdirSync(resultsDir).filter((name) => !name.startsWith('.'));
  const report: Report | undefined =
    runs.length === 1 ? parseReport(readFileSync(join(resultsDir, runs[0]!, 'report.json'), 'utf8')) : undefined;
  return { ...result, resultsDir, runs, report };
}

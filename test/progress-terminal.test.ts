// On a terminal the status line lives at the bottom and nothing else ever lands on it: lines
// printed during the run go above it, it is cleared before the summary and never drawn again,
// long lines are printed whole (line wrapping is never switched off), and the Ctrl-C notice has
// a line of its own. Checked on a real pseudo-terminal, by replaying its output as a terminal
// would show it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, root, tempDir } from './support/helpers.js';
import { waitUntil } from './support/processes.js';

const COLUMNS = 100;

/** `npm run train` on a pseudo-terminal (util-linux `script`), as a person at a terminal runs it. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}) {
  const command = [process.execPath, join(root, 'scripts/run.mjs'), 'train', ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    cwd: root,
    env: { ...process.env, COLUMNS: String(COLUMNS), LINES: '40', CI: '', NO_COLOR: '1', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return { output: () => output, exited };
}

/**
 * What the terminal shows at the end: carriage returns go back to column 0, "erase line" clears
 * it, other escapes change nothing visible; a line longer than the terminal wraps onto the next.
 */
function screen(raw: string): string[] {
  const lines: string[][] = [[]];
  let col = 0;
  const current = () => lines[lines.length - 1]!;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\x1b') {
      const m = /^\x1b\[[?0-9;]*[A-Za-z]/.exec(raw.slice(i));
      if (m) {
        if (m[0] === '\x1b[2K') lines[lines.length - 1] = [];
        i += m[0].length - 1;
        continue;
      }
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      lines.push([]);
      col = 0;
    } else {
      if (col === COLUMNS) {
        lines.push([]);
        col = 0;
      }
      current()[col++] = ch;
    }
  }
  return lines.map((l) =>
    Array.from(l, (c) => c ?? ' ')
      .join('')
      .trimEnd(),
  );
}

const faulty = fixture('models/faulty.mjs');

describe('the status line on a terminal', () => {
  it('is cleared before the summary, never drawn after it, and long lines are printed whole', async () => {
    const run = onTerminal([
      '--results-dir',
      tempDir(),
      '--model-module',
      faulty,
      '--models',
      'svm,fault-long-message,knn',
      '--cv',
      '3',
    ]);
    expect(await run.exited).toBe(1);
    const raw = run.output();
    // Line wrapping is never switched off: a line longer than the terminal wraps, it is not cut.
    expect(raw).not.toContain('\x1b[?7l');
    const shown = screen(raw);
    const summary = shown.findIndex((l) => l.startsWith('iris: 150 rows'));
    expect(summary).toBeGreaterThan(0);
    // Nothing of the status line is left anywhere, before or after the summary.
    for (const line of shown) expect(line).not.toMatch(/tasks · /);
    // The failing model's line, 300 characters wide, is all there (wrapped over lines).
    expect(shown.join('').replace(/\s+/g, ' ')).toContain(`${'wide '.repeat(52)}end`);
    expect(shown.slice(summary)).toContain('report: ' + shown.find((l) => l.startsWith('report: '))!.slice(8));
  });

  it('the Ctrl-C notice has a line of its own, and the bar is gone after it', async () => {
    const resultsDir = tempDir();
    const started = join(tempDir('trainpool-marker-'), 'started');
    const run = onTerminal(
      ['--results-dir', resultsDir, '--model-module', faulty, '--models', 'fault-slow,svm', '--threads', '2'],
      { TRAINPOOL_STARTED_MARKER: started },
    );
    await waitUntil('the slow model is fitting', () => existsSync(started));
    // The node process inside the terminal, found by its unique results folder.
    const pid = spawnSync('pgrep', ['-f', `run.mjs train --results-dir ${resultsDir}`], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .find((p) => p !== process.pid);
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGINT');
    expect(await run.exited).toBe(130);
    const shown = screen(run.output());
    const notice = shown.find((l) => l.includes('train: Ctrl-C: stopping'));
    expect(notice).toMatch(/^train: Ctrl-C: stopping; writing the report of what finished/);
    for (const line of shown) expect(line).not.toMatch(/tasks · /);
    // The summary's header is wider than the terminal: compare it unwrapped.
    expect(shown.join('').replace(/\s+/g, ' ')).toContain('interrupted: partial report');
  });
});

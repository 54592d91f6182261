import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli, tempDir } from './support/helpers.js';

/** Runs `npm run train` on a real pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function trainOnTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const command = [process.execPath, join(root, 'scripts/run.mjs'), 'train', ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((done) => {
    execFile(
      'script',
      ['-qefc', command, '/dev/null'],
      { cwd: root, env: { ...process.env, COLUMNS: '120', LINES: '40', ...env } },
      (error, stdout) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout }),
    );
  });
}

const ESC = '\x1b';
// Three models keep the counts below fixed whatever else gets registered.
const THREE = ['--models', 'logistic-regression,random-forest,svm'];

describe('live progress during npm run train', () => {
  it('not a terminal: one plain line per finished model with the counts, nothing redrawn', async () => {
    const run = await runCli('train', ['--results-dir', tempDir(), ...THREE, '--cv', '3']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('✓'));
    expect(lines).toHaveLength(3);
    // 3 models x (3 folds + the final fit) = 12 tasks.
    lines.forEach((line, i) =>
      expect(line).toMatch(new RegExp(`\\[${i + 1}/3 models, \\d+/12 tasks, \\d+\\.\\d s\\]$`)),
    );
    expect(lines.at(-1)).toContain('[3/3 models, 12/12 tasks,');
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout).not.toContain('\r');
  });

  it('on a terminal: a bar with tasks done of total, running models, elapsed and ETA, cleared at the end', async () => {
    const run = await trainOnTerminal(['--results-dir', tempDir(), ...THREE, '--cv', '5'], { CI: '', NO_COLOR: '1' });
    expect(run.code).toBe(0);
    // The cursor is hidden while the bar is drawn, and shown again.
    expect(run.output).toContain(`${ESC}[?25l`);
    expect(run.output).toContain(`${ESC}[?25h`);
    expect(run.output).toMatch(
      /█*░* · \d+\/18 tasks · \d\/3 models · running ([a-z-]+(, [a-z-]+)*|\d models?) · \d+\.\d s elapsed · ETA (-|\d+\.\d s)/,
    );
    // Never wider than the terminal: a redrawn line that wraps leaves copies of itself behind.
    for (const line of run.output.split(/\r|\n|\x1b\[[0-9;]*[A-Za-z]/))
      expect([...line].length).toBeLessThanOrEqual(120);
    // Each model's line is printed above the bar, and the summary follows the cleared bar.
    for (const id of ['logistic-regression', 'random-forest', 'svm'])
      expect(run.output).toMatch(new RegExp(`✓ ${id}\\s+test accuracy`));
    const summary = run.output.slice(run.output.lastIndexOf('iris: 150 rows'));
    expect(summary).toMatch(/^iris: 150 rows[^\n]*\r?\n\r?\n#\s+model/);
    expect(summary).not.toContain('tasks ·');
  });

  it('CI set, even on a terminal: the plain lines, no bar', async () => {
    const run = await trainOnTerminal(['--results-dir', tempDir(), ...THREE], { CI: 'true', NO_COLOR: '1' });
    expect(run.code).toBe(0);
    expect(run.output).not.toContain('tasks ·');
    expect(run.output).not.toContain(`${ESC}[?25l`);
    expect(run.output).toMatch(/✓ svm\s+test accuracy.*\[\d\/3 models, \d\/3 tasks, \d+\.\d s\]/);
  });

  it('--quiet: nothing at all', async () => {
    const run = await trainOnTerminal(['--results-dir', tempDir(), '--quiet'], { CI: '' });
    expect(run.code).toBe(0);
    expect(run.output).toBe('');
  });
});

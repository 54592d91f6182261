// A run stopped by Ctrl-C lands its partial report (exit 130); `train --resume <its id>` takes the
// folder back, runs only what had not finished, and lands the complete report in its place, equal
// to the uninterrupted run's. A complete run, a run still going, or no run at all: one line, exit 2.
import { existsSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FILE, parseJournal } from '../src/train/journal.js';
import { outcome } from './support/cluster.js';
import { runCli, tempDir, train } from './support/helpers.js';
import { listResults, readReport, start } from './support/processes.js';

const ARGS = ['--cv', '5', '--threads', '2'];

describe('Ctrl-C, then train --resume <run>', () => {
  it('completes the interrupted run in its own folder with the uninterrupted run’s results', async () => {
    const reference = await train(ARGS);
    const resultsDir = tempDir();
    const run = start('train', ['--results-dir', resultsDir, ...ARGS]);
    const watcher = watch(resultsDir, { recursive: false }, (_event, name) => {
      const journal = name?.startsWith('.staging-') ? join(resultsDir, name, JOURNAL_FILE) : undefined;
      if (!journal) return;
      const poll = setInterval(() => {
        if (!existsSync(journal)) return;
        if (parseJournal(readFileSync(journal, 'utf8')).filter((l) => l.t === 'result').length >= 10) {
          clearInterval(poll);
          run.child.kill('SIGINT');
        }
      }, 10);
      run.exited.then(() => clearInterval(poll));
    });
    const exit = await run.exited;
    watcher.close();
    expect(exit.code).toBe(130);
    const [id] = listResults(resultsDir).runs;
    const interrupted = readReport(resultsDir, id!);
    expect(interrupted.status).toBe('interrupted');

    const resumed = await runCli('train', ['--results-dir', resultsDir, '--resume', id!.slice(0, 22)]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`^run ${id}: iris, resumed \\(\\d+ task results in its journal\\)\\n`));
    expect(listResults(resultsDir)).toEqual({ runs: [id], hidden: [] });
    const report = readReport(resultsDir, id!);
    expect(report.status).toBe('complete');
    expect(report.createdAt).toBe(interrupted.createdAt);
    expect(outcome(report)).toEqual(outcome(reference.report));
    expect(report.resumed!.times).toBe(1);
    expect(report.resumed!.tasksFromJournal).toBeGreaterThanOrEqual(10);

    // Nothing left to resume, flags that would change the run, and a run that is not there.
    const again = await runCli('train', ['--results-dir', resultsDir, '--resume', id!]);
    expect(again).toMatchObject({
      code: 2,
      stderr: `train: error: run ${id} is complete: there is nothing to resume\n`,
    });
    const latest = await runCli('train', ['--results-dir', resultsDir, '--resume', 'latest']);
    expect(latest.code).toBe(2);
    expect(latest.stderr).toMatch(
      /^train: error: no run to resume in .*: a run stopped by Ctrl-C, a crash, a kill or its --budget can be resumed\n$/,
    );
    const changed = await runCli('train', [
      '--results-dir',
      resultsDir,
      '--resume',
      'latest',
      '--seed',
      '7',
      '--cv',
      '3',
    ]);
    expect(changed).toMatchObject({
      code: 2,
      stderr:
        'train: error: --resume continues a run with its own settings; drop --seed, --cv (or start a new run with them)\n',
    });
  }, 300_000);
});

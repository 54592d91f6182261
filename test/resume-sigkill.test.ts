// `train --cv 5` killed with SIGKILL at ten moments drawn from a fixed seed (before its first
// result, after a drawn number of results, while its folder is being written), each followed by
// `train --resume latest`: every resumed report has the metrics, predictions and folds of the
// uninterrupted run, and the journal shows no task started again once its result was recorded.
import { existsSync, readFileSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/ml/random.js';
import { parseJournal, JOURNAL_FILE } from '../src/train/journal.js';
import { outcome } from './support/cluster.js';
import { runCli, tempDir, train } from './support/helpers.js';
import { listResults, readReport, start } from './support/processes.js';

const MODELS = ['decision-tree', 'knn', 'logistic-regression', 'naive-bayes', 'random-forest', 'svm'];
const ARGS = ['--cv', '5', '--threads', '2', '--models', MODELS.join(',')];
/** 6 models, 5 folds and a final fit each. */
const TASKS = MODELS.length * 6;

type Moment = { kind: 'before-first-result' } | { kind: 'after-results'; results: number } | { kind: 'mid-write' };

const results = (file: string) =>
  existsSync(file) ? parseJournal(readFileSync(file, 'utf8')).filter((l) => l.t === 'result').length : 0;

/** Starts a run and SIGKILLs it at `moment`; says whether the kill came before the run landed. */
async function killAt(resultsDir: string, moment: Moment): Promise<boolean> {
  const run = start('train', ['--results-dir', resultsDir, '--quiet', ...ARGS]);
  const watchers: FSWatcher[] = [];
  const kill = () => run.child.kill('SIGKILL');
  let staging: string | undefined;
  const onStaging = (dir: string) => {
    if (staging) return;
    staging = dir;
    watchers.push(
      watch(dir, (_event, name) => {
        const journal = join(dir, JOURNAL_FILE);
        if (moment.kind === 'before-first-result' && name === JOURNAL_FILE) kill();
        else if (moment.kind === 'after-results' && name === JOURNAL_FILE && results(journal) >= moment.results) kill();
        // The report's files go in after every result: the first of them is the moment.
        else if (moment.kind === 'mid-write' && name === 'models') kill();
      }),
    );
  };
  watchers.push(
    watch(resultsDir, (_event, name) => {
      if (name?.startsWith('.staging-') && existsSync(join(resultsDir, name))) onStaging(join(resultsDir, name));
    }),
  );
  const exit = await run.exited;
  for (const w of watchers) w.close();
  // A kill that arrives as the folder is renamed into place (a loaded machine) comes too late.
  return exit.signal === 'SIGKILL' && listResults(resultsDir).hidden.length === 1;
}

/** Every key's result recorded at most once, and no start of a task after its result. */
function expectNoTaskRunAgain(journalFile: string) {
  const seen = new Map<string, number>();
  const lines = parseJournal(readFileSync(journalFile, 'utf8'));
  lines.forEach((line, i) => {
    if (line.t === 'result') {
      expect(seen.has(line.k), `result of ${line.k} recorded twice`).toBe(false);
      seen.set(line.k, i);
    } else if (line.t === 'start')
      expect(seen.has(line.k), `task ${line.k} started after its result was recorded`).toBe(false);
  });
  return seen.size;
}

describe('SIGKILL, then train --resume latest', () => {
  it('at ten moments from a fixed seed: each resumed report equals the uninterrupted run, no task runs twice', async () => {
    const reference = await train(ARGS);
    expect(reference.code).toBe(0);

    // Before the first result, mid-write, and eight moments between, drawn from seed 15.
    const random = createRandom(15);
    const moments: Moment[] = [
      { kind: 'before-first-result' },
      { kind: 'mid-write' },
      ...Array.from({ length: 8 }, (): Moment => ({
        kind: 'after-results',
        results: 1 + Math.floor(random() * (TASKS - 1)),
      })),
    ];
    const killedAfter: number[] = [];
    for (const moment of moments) {
      const resultsDir = tempDir();
      // On a loaded machine a kill can come too late (the run landed): that moment is tried again.
      let killed = false;
      for (let attempt = 0; attempt < 3 && !killed; attempt++) {
        killed = await killAt(resultsDir, moment);
        if (!killed)
          for (const name of [...listResults(resultsDir).runs, ...listResults(resultsDir).hidden])
            rmSync(join(resultsDir, name), { recursive: true });
      }
      expect(killed, `the kill at ${JSON.stringify(moment)} came after the run ended, three times`).toBe(true);
      const { hidden } = listResults(resultsDir);
      expect(hidden).toHaveLength(1);
      const stagingJournal = join(resultsDir, hidden[0]!, JOURNAL_FILE);
      killedAfter.push(results(stagingJournal));

      const resumed = await runCli('train', ['--results-dir', resultsDir, '--quiet', '--resume', 'latest']);
      expect(resumed.stderr, JSON.stringify(moment)).toBe('');
      expect(resumed.code, JSON.stringify(moment)).toBe(0);
      const { runs } = listResults(resultsDir);
      expect(runs).toHaveLength(1);
      const report = readReport(resultsDir, runs[0]!);
      expect(report.status).toBe('complete');
      expect(report.runId).toBe(hidden[0]!.slice('.staging-'.length));
      expect(outcome(report)).toEqual(outcome(reference.report));
      expect(report.split).toEqual(reference.report!.split);
      expect(report.cv).toEqual(reference.report!.cv);
      expect(report.resumed).toEqual({ times: 1, tasksFromJournal: killedAfter.at(-1) });
      expect(listResults(resultsDir).hidden).toEqual([]);
      expect(expectNoTaskRunAgain(join(resultsDir, report.runId, JOURNAL_FILE))).toBe(TASKS);
    }
    // The moments did cover a run with no result yet, one with some, and one with every result in.
    expect(killedAfter[0]).toBe(0);
    expect(killedAfter[1]).toBe(TASKS);
    expect(killedAfter.slice(2).some((n) => n > 0 && n < TASKS)).toBe(true);
  }, 900_000);
});

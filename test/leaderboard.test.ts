// The console leaderboard people expect from PyCaret's compare_models: accuracy, AUC, recall,
// precision, F1, kappa, MCC (and log loss), fit and predict time in human units; n/a where a model
// has no probabilities, never 0; the dummy baseline's row, with models that do not beat it marked;
// --sort-by and --columns, the sort recorded in report.json.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatValue } from '../src/format/columns.js';
import { builtinModels } from '../src/models/index.js';
import type { OkModelReport, Report } from '../src/results/report.js';
import { parseReport } from '../src/results/schema.js';
import { fixture, runCli, tempDir } from './support/helpers.js';

const TIME = /^(\d+\.\d+ (ms|s)|\d+ min \d+ s|\d+ h \d+ min)$/;

async function trainAndRead(args: string[]): Promise<{ stdout: string; report: Report }> {
  const dir = tempDir();
  const run = await runCli('train', ['--results-dir', dir, ...args]);
  expect(run.code, run.stderr).toBe(0);
  const id = readdirSync(dir).find((n) => !n.startsWith('.'))!;
  return { stdout: run.stdout, report: parseReport(readFileSync(join(dir, id, 'report.json'), 'utf8')) };
}

/** The leaderboard's lines: its head and a line per model, split on runs of two spaces or more. */
function board(stdout: string): { head: string[]; rows: Map<string, string[]> } {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^\s*#\s+model\s/.test(l));
  const head = lines[start]!.trim().split(/\s{2,}/);
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(start + 1)) {
    if (!/^\s*(\d+|-)\s{2}/.test(line)) break;
    const cells = line.trim().split(/\s{2,}/);
    rows.set(cells[1]!, cells);
  }
  return { head, rows };
}

describe('the leaderboard', () => {
  it('on a two-class data set, by default: AUC, log loss, kappa and MCC per model, n/a without probabilities, the dummy row', async () => {
    // The majority fixture is a user model without probabilities that cannot beat the dummy.
    const { stdout, report } = await trainAndRead([
      '--dataset',
      fixture('sklearn/breast-cancer.csv'),
      '--model-module',
      fixture('models/majority.ts'),
    ]);
    const { head, rows } = board(stdout);
    expect(head).toEqual([
      '#',
      'model',
      'acc',
      'AUC',
      'recall',
      'prec.',
      'F1',
      'kappa',
      'MCC',
      'log loss',
      'fit',
      'predict',
    ]);
    expect(report.sortBy).toEqual({ scope: 'test', id: 'accuracy' });
    expect(stdout).toMatch(/^scores: on the 114 test rows; sorted by test accuracy$/m);
    const defaults = builtinModels.filter((d) => d.default !== false).map((d) => d.id);
    expect([...rows.keys()].sort()).toEqual([...defaults, 'majority'].sort());
    const col = (name: string) => head.indexOf(name);
    for (const m of report.models as OkModelReport[]) {
      const cells = rows.get(m.id)!;
      for (const [name, id] of [
        ['acc', 'accuracy'],
        ['AUC', 'rocAuc'],
        ['kappa', 'kappa'],
        ['MCC', 'mcc'],
        ['log loss', 'logLoss'],
      ] as const)
        expect(cells[col(name)], `${m.id} ${name}`).toBe(formatValue(id, m.metrics![id]));
      const def = builtinModels.find((d) => d.id === m.id);
      if (def?.probabilities) expect(cells[col('AUC')]).toMatch(/^0\.\d{3}$|^1\.000$/);
      else expect([cells[col('AUC')], cells[col('log loss')]], m.id).toEqual(['n/a', 'n/a']);
      expect(cells[col('fit')]).toMatch(TIME);
      expect(cells[col('predict')]).toMatch(TIME);
    }
    // The baseline: always the most frequent class (212 malignant, 357 benign).
    const dummy = rows.get('dummy')!;
    expect(dummy.at(-1)).toMatch(/baseline/);
    expect(dummy[col('AUC')]).toBe('0.500');
    expect(dummy[col('kappa')]).toBe('0.000');
    // The majority model scores exactly as the dummy does: it does not beat it.
    expect(rows.get('majority')!.at(-1)).toMatch(/does not beat dummy/);
    expect(rows.get('logistic-regression')!.at(-1)).not.toMatch(/does not beat dummy/);
    expect(stdout).toMatch(
      /^≈: not significantly worse than the best \(McNemar's exact test on the test rows, p ≥ 0\.05\)$/m,
    );
    expect(stdout).toMatch(/^does not beat dummy: scores no better than always answering the most frequent class$/m);
  });

  it('--sort-by and --columns: the order and the columns asked for, the sort recorded in report.json', async () => {
    const { stdout, report } = await trainAndRead([
      '--models',
      'logistic-regression,naive-bayes,dummy,svm-mljs',
      '--sort-by',
      'log loss',
      '--columns',
      'accuracy,logLoss,mcc,fit',
    ]);
    expect(report.sortBy).toEqual({ scope: 'test', id: 'logLoss' });
    const { head, rows } = board(stdout);
    expect(head).toEqual(['#', 'model', 'acc', 'log loss', 'MCC', 'fit']);
    // Lower log loss first; a model without one (svm-mljs) after those that have one.
    const order = [...rows.keys()];
    const loss = (id: string) => (report.models.find((m) => m.id === id) as OkModelReport).metrics!.logLoss;
    const withLoss = order.filter((id) => loss(id) !== null);
    expect(withLoss.map(loss)).toEqual([...withLoss.map(loss)].sort((a, b) => a! - b!));
    expect(order.at(-1)).toBe('svm-mljs');
    expect(stdout).toMatch(/sorted by test log loss$/m);
  });

  it('with CV: CV means, sorted by CV accuracy with its spread, marks by the corrected t-test', async () => {
    const { stdout, report } = await trainAndRead(['--models', 'logistic-regression,knn,dummy', '--cv', '3']);
    expect(report.sortBy).toEqual({ scope: 'cv', id: 'accuracy' });
    const { head, rows } = board(stdout);
    expect(head.slice(0, 4)).toEqual(['#', 'model', 'acc', 'AUC']);
    const knn = report.models.find((m) => m.id === 'knn')!;
    expect(rows.get('knn')![2]).toBe(`${knn.cv!.accuracy.mean.toFixed(3)} ± ${knn.cv!.accuracy.std.toFixed(3)}`);
    expect(stdout).toMatch(/^scores: mean of 3-fold CV on the training part; sorted by CV accuracy$/m);
    expect(stdout).toMatch(/Nadeau-Bengio corrected resampled t-test on the 3 CV folds, p ≥ 0\.05\)$/m);
    expect(rows.get('dummy')!.at(-1)).toMatch(/^worse p[=<][\d.]+; baseline$/);
  });

  it('a --sort-by the run cannot have is a one-line usage error', async () => {
    const run = await runCli('train', ['--results-dir', tempDir(), '--sort-by', 'cv.mcc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('train: error: --sort-by cv.mcc: this run has no CV; add --cv, or drop "cv."\n');
    const unknown = await runCli('train', ['--results-dir', tempDir(), '--columns', 'acc,bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /--columns "bogus": no such metric; choose one of accuracy \(acc\), .*rocAuc \(AUC\)/,
    );
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, root, runCli, tempDir, train } from './support/helpers.js';

/** The file's lines of the given data rows (0-based), under its header. */
function rowsOf(file: string, rows: readonly number[]): string {
  const lines = readFileSync(file, 'utf8').replace(/\r\n/g, '\n').trimEnd().split('\n');
  return `${[lines[0], ...rows.map((r) => lines[r + 1])].join('\n')}\n`;
}

describe('npm run predict', () => {
  it.each([
    [`${root}/datasets/iris.csv`, []],
    [fixture('csv/wine.csv'), []],
    [fixture('csv/categorical.csv'), []],
    [fixture('csv/iris-semicolon.csv'), ['--cv', '3']],
  ])("reproduces a run's test predictions exactly from the rows of its test part: %s", async (file, flags) => {
    const run = await train(['--dataset', file, ...flags]);
    expect(run.code).toBe(0);
    const report = run.report!;
    const input = join(tempDir(), 'test-part.csv');
    writeFileSync(input, rowsOf(file, report.split.test));
    for (const model of report.models) {
      if (model.status !== 'ok') throw new Error(`${model.id} failed`);
      const predicted = await runCli('predict', [
        '--results-dir',
        run.resultsDir,
        '--run',
        report.runId,
        '--model',
        model.id,
        '--input',
        input,
      ]);
      expect(predicted.stderr).toBe('');
      expect(predicted.code).toBe(0);
      const expected = model.predictions.map((p) => report.dataset.classes[p]);
      expect(predicted.stdout, model.id).toBe(`${report.dataset.encoding!.label}\n${expected.join('\n')}\n`);
    }
  });

  it('reads columns by name, in any order, ignoring the label and other columns', async () => {
    const run = await train(['--dataset', `${root}/datasets/iris.csv`, '--models', 'svm']);
    const input = join(tempDir(), 'reordered.csv');
    writeFileSync(
      input,
      'id,petal_width,petal_length,sepal_width,sepal_length\nA,0.2,1.4,3.5,5.1\nB,2.3,5.4,3.0,6.2\n',
    );
    const predicted = await runCli('predict', [
      '--results-dir',
      run.resultsDir,
      '--run',
      run.report!.runId,
      '--model',
      'svm',
      '--input',
      input,
    ]);
    expect(predicted.stdout).toBe('label\nsetosa\nvirginica\n');
  });

  it('refuses bad input with the same precise errors as training data, writing nothing', async () => {
    const run = await train(['--dataset', fixture('csv/categorical.csv'), '--models', 'svm']);
    const dir = tempDir();
    const cases: [string, string, string][] = [
      [
        'no-column.csv',
        'x,y,size\n1,2,small\n',
        'no-column.csv:1: no column "colour"; the model was trained on columns "x", "colour", "y"',
      ],
      ['not-a-number.csv', 'x,colour,y\n1,red,2\n1,red,two\n', 'not-a-number.csv:3: column "y": "two" is not a number'],
      [
        'unseen.csv',
        'x,colour,y\n1,red,2\n1,purple,2\n',
        'unseen.csv:3: column "colour": "purple" was not seen in training; known values: "blue", "green", "red"',
      ],
      ['missing.csv', 'x,colour,y\n1,red,2\n,red,2\n', 'missing.csv:3: column "x": missing value ("")'],
      ['short.csv', 'x,colour,y\n1,red\n', 'short.csv:2: 2 fields, but the header has 3 columns'],
    ];
    for (const [name, text, message] of cases) {
      const input = join(dir, name);
      writeFileSync(input, text);
      const predicted = await runCli('predict', [
        '--results-dir',
        run.resultsDir,
        '--run',
        run.report!.runId,
        '--model',
        'svm',
        '--input',
        input,
      ]);
      expect(predicted.code, name).toBe(2);
      const start = `predict: error: ${join(dir, message)}`;
      expect(predicted.stderr.slice(0, start.length), name).toBe(start);
      expect(predicted.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(predicted.stdout, name).toBe('');
    }
    const noRun = await runCli('predict', [
      '--results-dir',
      dir,
      '--run',
      'nope',
      '--model',
      'svm',
      '--input',
      join(dir, 'short.csv'),
    ]);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(
      /^predict: error: no run "nope" in .*; give a run id or its start, latest, a run folder or a report\.json\n$/,
    );
    const noModel = await runCli('predict', [
      '--results-dir',
      run.resultsDir,
      '--run',
      run.report!.runId,
      '--model',
      'random-forest',
      '--input',
      join(dir, 'short.csv'),
    ]);
    expect(noModel.stderr).toContain('--model random-forest: not in run');
  });
});

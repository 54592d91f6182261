// predict reads a model only from inside its run folder: a report.json whose modelFile points
// elsewhere (a ../ path, an absolute one) or a model file that is a link to a file outside is
// refused in one line, even when what lies outside is a perfectly good model.
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, runCli, tempDir, train } from './support/helpers.js';

let source: string;
let input: string;

/** A copy of the run, in a folder of its own, with a good model file lying beside it. */
function copyOfRun(): { folder: string; outside: string } {
  const folder = join(tempDir(), 'run');
  cpSync(source, folder, { recursive: true });
  const outside = join(dirname(folder), 'knn-outside.json');
  writeFileSync(outside, readFileSync(join(folder, 'models/knn.json')));
  return { folder, outside };
}

function pointModelFileAt(folder: string, modelFile: string) {
  const reportFile = join(folder, 'report.json');
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { models: { id: string; modelFile?: string }[] };
  for (const m of report.models) if (m.id === 'knn') m.modelFile = modelFile;
  writeFileSync(reportFile, JSON.stringify(report));
}

async function expectRefused(folder: string, message: RegExp) {
  const predicted = await runCli('predict', ['--run', folder, '--model', 'knn', '--input', input]);
  expect(predicted.code, predicted.stderr).toBe(2);
  expect(predicted.stdout).toBe('');
  const lines = predicted.stderr.trimEnd().split('\n');
  expect(lines, predicted.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
}

describe("predict never reads a model file outside the run's folder", () => {
  beforeAll(async () => {
    const trained = await train(['--dataset', `${root}/datasets/iris.csv`, '--models', 'knn']);
    expect(trained.code, trained.stderr).toBe(0);
    source = join(trained.resultsDir, trained.runs[0]!);
    input = join(tempDir(), 'flowers.csv');
    writeFileSync(input, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n');
  });

  it('a ../ path in report.json', async () => {
    const { folder } = copyOfRun();
    pointModelFileAt(folder, '../knn-outside.json');
    await expectRefused(folder, /modelFile "\.\.\/knn-outside\.json" lies outside the run folder/);
  });

  it('an absolute path in report.json', async () => {
    const { folder, outside } = copyOfRun();
    pointModelFileAt(folder, outside);
    await expectRefused(folder, /lies outside the run folder/);
  });

  it('a model file that links to a file outside', async () => {
    const { folder, outside } = copyOfRun();
    rmSync(join(folder, 'models/knn.json'));
    symlinkSync(outside, join(folder, 'models/knn.json'));
    await expectRefused(folder, /models\/knn\.json is a link to a file outside the run folder/);
  });
});

import { describe, expect, it } from 'vitest';
import type { Report } from '../src/results/report.js';
import { fixture, root, train } from './support/helpers.js';

// What a run computes from its data: equal for equal data, whatever the file looked like.
const outcome = (report: Report) => ({
  sha256: report.dataset.sha256,
  rows: report.dataset.rows,
  classes: report.dataset.classes,
  split: report.split,
  models: report.models.map((m) =>
    m.status === 'ok' ? { id: m.id, metrics: m.metrics, predictions: m.predictions } : m,
  ),
});

describe('CSV formats: the same data in another dress gives the same report', () => {
  it('BOM+CRLF, semicolon, tab and fully quoted copies of datasets/iris.csv match the plain file', async () => {
    const plain = await train(['--dataset', `${root}/datasets/iris.csv`]);
    expect(plain.code).toBe(0);
    expect(plain.report!.dataset).toMatchObject({
      name: 'iris',
      file: `${root}/datasets/iris.csv`,
      rows: 150,
      features: 4,
    });
    for (const copy of ['iris-bom-crlf.csv', 'iris-semicolon.csv', 'iris-tab.csv', 'iris-quoted.csv']) {
      const run = await train(['--dataset', fixture(`csv/${copy}`)]);
      expect(run.code, copy).toBe(0);
      expect(outcome(run.report!), copy).toEqual(outcome(plain.report!));
    }
  });

  it('the CSV copy of iris is the built-in iris, to the hash', async () => {
    const [csv, builtin] = await Promise.all([
      train(['--dataset', 'iris.csv', '--models', 'svm']),
      train(['--models', 'svm']),
    ]);
    expect(csv.report!.dataset.file).toBe('datasets/iris.csv');
    expect(builtin.report!.dataset.file).toBeUndefined();
    expect(outcome(csv.report!)).toEqual(outcome(builtin.report!));
  });

  it('header names with spaces, parentheses and slashes, and --label naming a column', async () => {
    const run = await train(['--dataset', fixture('csv/iris-names.csv'), '--models', 'svm']);
    expect(run.code).toBe(0);
    expect(run.report!.dataset.featureNames).toEqual([
      'sepal length (cm)',
      'sepal width (cm)',
      'petal length/cm',
      'petal width/cm',
    ]);
    expect(run.report!.dataset.encoding!.label).toBe('iris species');

    // The label need not be the last column.
    const byLabel = await train(['--dataset', fixture('csv/categorical.csv'), '--label', 'colour', '--models', 'svm']);
    expect(byLabel.code).toBe(0);
    expect(byLabel.report!.dataset.classes).toEqual(['blue', 'green', 'red']);
    expect(byLabel.report!.dataset.encoding!.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'x:number',
      'y:number',
      'size:one-hot',
    ]);
  });
});

// train() on data in memory: rows (number[][]) or one flat row-major Float64Array, converted once
// on entry, train exactly like the same rows read from a CSV file (same sha256, same metrics);
// results are written only with resultsDir; bad data is a UsageError of one line.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, train, UsageError, type InMemoryData, type Report } from '../src/api/index.js';
import { root, tempDir } from './support/helpers.js';

const MODELS = ['knn', 'logistic-regression', 'decision-tree'];
const scores = (report: Report) =>
  report.models.map((m) => (m.status === 'ok' ? [m.id, m.metrics, m.predictions] : [m.id, m.status]));

describe('train() on data in memory', () => {
  it("rows, a flat Float64Array and a loaded CSV train alike, with the CSV file's sha256", async () => {
    const csv = await loadDataset(join(root, 'datasets/iris.csv'));
    const rows = Array.from({ length: csv.rows }, (_, i) =>
      Array.from(csv.features.subarray(i * csv.cols, (i + 1) * csv.cols)),
    );
    const labels = Array.from(csv.labels, (c) => csv.classNames[c]!);
    // An ordinary (not shared) array: copied once onto shared memory on entry.
    const flat = new Float64Array(rows.flat());
    const sources: InMemoryData[] = [
      { features: rows, labels, featureNames: csv.featureNames, name: 'iris' },
      { features: flat, cols: csv.cols, labels, featureNames: csv.featureNames, name: 'iris' },
      csv,
    ];
    const reports = await train({ dataset: sources, models: MODELS, threads: 2 });
    expect(reports).toHaveLength(3);
    const [fromRows, fromFlat, fromCsv] = reports as [Report, Report, Report];
    for (const r of reports) {
      expect(r.dataset.sha256).toBe(csv.sha256);
      expect(r.dataset.classes).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(r.models.every((m) => m.status === 'ok')).toBe(true);
    }
    expect(scores(fromRows)).toEqual(scores(fromCsv));
    expect(scores(fromFlat)).toEqual(scores(fromCsv));
    expect(fromRows.dataset.source).toBe('memory');
    expect(fromRows.settings!.dataset).toBeNull();
    expect(fromCsv.settings!.dataset).toEqual({ path: join(root, 'datasets/iris.csv'), missing: 'error' });
  });

  it('numeric labels are classes sorted as numbers', async () => {
    const features = Array.from({ length: 60 }, (_, i) => [i % 3, (i * 7) % 5]);
    const labels = features.map(([a]) => [10, 2, 33][a!]!);
    const report = await train({ dataset: { features, labels }, models: ['knn'], threads: 1 });
    expect(report.dataset.classes).toEqual(['2', '10', '33']);
    expect(report.dataset.featureNames).toEqual(['x0', 'x1']);
  });

  it('writes a run folder only when resultsDir is given', async () => {
    const data = {
      features: [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]],
      labels: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    };
    const bare = await train({ dataset: data, models: ['knn'], threads: 1, testSize: 0.4 });
    expect(bare.models[0]!.status).toBe('ok');
    expect(bare.models[0]).not.toHaveProperty('modelFile');
    const resultsDir = tempDir();
    const kept = await train({ dataset: data, models: ['knn'], threads: 1, testSize: 0.4, resultsDir });
    expect(readdirSync(resultsDir)).toEqual([kept.runId]);
    expect(JSON.parse(readFileSync(join(resultsDir, kept.runId, 'report.json'), 'utf8'))).toEqual(kept);
    expect(kept.models[0]).toMatchObject({ modelFile: 'models/knn.json' });
  });

  it.each([
    [
      { features: [[1, 2], [3]], labels: [0, 1] },
      'train(): "dataset.features[1]" has 1 values; every row has 2 (as row 0 does)',
    ],
    [
      { features: [[1], [Number.NaN]], labels: [0, 1] },
      '"dataset.features[1][0]" is NaN; features must be finite numbers',
    ],
    [
      { features: new Float64Array(6), labels: [0, 1] },
      '"dataset.features" is a flat Float64Array: give "cols" (or "rows")',
    ],
    [
      { features: new Float64Array(7), cols: 2, labels: [0, 1] },
      '"dataset.features" holds 7 numbers, which is not rows x cols (? x 2)',
    ],
    [{ features: [[1], [2], [3]], labels: [0, 1] }, '"dataset.labels" has 2 labels for 3 rows; give one per row'],
    [{ features: [[1], [2]], labels: ['a', 'a'] }, '"dataset.labels" hold 1 class; classification needs at least two'],
    [
      { features: [[1], [2]], labels: ['a', null] },
      '"dataset.labels[1]" is null; a label is a non-empty string or a number',
    ],
  ])('refuses bad data in one line: %j', async (data, message) => {
    const error = await train({ dataset: data as never, models: ['knn'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

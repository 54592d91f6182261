// loadModel: a saved model predicts, from rows in memory, exactly what its run predicted for its
// test part (also a model defined in memory, found through the modules the run recorded);
// compareRuns gives what `compare` computes, from reports or run references.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns, loadDataset, loadModel, train, UsageError, type ModelDefinition } from '../src/api/index.js';
// @ts-expect-error a user's plain ESM model module, without typings
import * as defined from './fixtures/models/defined.mjs';
import { fixture, tempDir } from './support/helpers.js';

const { nearestCentroid } = defined as { nearestCentroid: ModelDefinition };

describe('loadModel and compareRuns', () => {
  it("a saved model predicts its run's test part exactly, by file or by run and id", async () => {
    const resultsDir = tempDir();
    const wine = await loadDataset(fixture('csv/wine.csv'));
    const report = await train({ dataset: wine, models: ['svm', 'knn', nearestCentroid], resultsDir, threads: 2 });
    const rows = report.split.test.map((r) => Array.from(wine.features.subarray(r * wine.cols, (r + 1) * wine.cols)));
    for (const m of report.models) {
      if (m.status !== 'ok') throw new Error(`${m.id} did not train`);
      const model = await loadModel(join(resultsDir, report.runId, m.modelFile!));
      expect(model.id).toBe(m.id);
      expect(model.classes).toEqual(wine.classNames);
      expect(model.featureNames).toEqual(wine.featureNames);
      expect(model.predict(rows), m.id).toEqual(m.predictions.map((p) => wine.classNames[p]));
    }
    const svm = await loadModel(report.runId.slice(0, 24), { model: 'svm', resultsDir });
    const proba = svm.predictProba(new Float64Array(rows.flat()));
    expect(proba).toHaveLength(rows.length);
    for (const p of proba) {
      expect(p).toHaveLength(wine.classNames.length);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    const error = await loadModel(report.runId, { resultsDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('name the model');
  });

  it('compareRuns compares two reports, or two run references', async () => {
    const resultsDir = tempDir();
    const a = await train({ models: ['knn', 'svm'], seed: 1, resultsDir, threads: 2 });
    const b = await train({ models: ['knn', 'svm'], seed: 2, resultsDir, threads: 2 });
    const byReports = await compareRuns(a, b);
    expect(byReports.sameData).toBe(true);
    expect(byReports.sameSplit).toBe(false);
    expect(byReports.models.map((m) => m.id)).toEqual(['knn', 'svm']);
    expect(byReports.settings).toContainEqual({ setting: 'seed', a: '1', b: '2' });
    const byIds = await compareRuns(a.runId, b.runId, { resultsDir });
    expect(byIds.models).toEqual(byReports.models);
  });
});

// Accuracy bars against scikit-learn's figures in ../shared/reference (copied to test/fixtures).
import { builtinModels } from '../src/models/index.js';
import { describe, expect, it } from 'vitest';
import { fixture, train } from './support/helpers.js';

// The baseline (dummy) learns nothing on purpose: it is what the others must beat, not a bar.
const baselines = new Set(builtinModels.filter((d) => d.baseline).map((d) => d.id));
const accuracies = (report: Awaited<ReturnType<typeof train>>['report']) =>
  Object.fromEntries(
    report!.models.filter((m) => !baselines.has(m.id)).map((m) => [m.id, m.status === 'ok' ? m.metrics!.accuracy : -1]),
  );

describe('accuracy on iris', () => {
  it('every default model scores at least 0.93 on the default split', async () => {
    const { report } = await train([]);
    for (const accuracy of Object.values(accuracies(report))) expect(accuracy).toBeGreaterThanOrEqual(0.93);
  });

  it("every default model scores 1.00 on scikit-learn's train_test_split(random_state=42)", async () => {
    const { report } = await train(['--split-file', fixture('iris_split_42.json')]);
    expect(report!.split.test).toHaveLength(30);
    const all = accuracies(report);
    expect(Object.keys(all)).toEqual(expect.arrayContaining(['logistic-regression', 'random-forest', 'svm']));
    for (const accuracy of Object.values(all)) expect(accuracy).toBe(1);
  });
});

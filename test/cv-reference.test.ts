// 5-fold CV on scikit-learn's exact StratifiedKFold(5, shuffle=True, random_state=42) folds of
// iris (../shared/reference, copied to test/fixtures), against its figures on the same folds.
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/results/report.js';
import { fixture, train } from './support/helpers.js';

// scikit-learn, standardized inside the fold where our definition standardizes (README table).
const sklearn: Record<string, number> = { 'logistic-regression': 0.9533, 'random-forest': 0.9467, svm: 0.96 };

const cvMeans = (report: Report | undefined) =>
  Object.fromEntries(report!.models.map((m) => [m.id, m.cv?.accuracy.mean ?? -1]));

describe('cross-validation on the reference folds', () => {
  const args = ['--folds-file', fixture('iris_folds_skf5_rs42.json'), '--test-size', '0'];

  it('each original model is within 0.02 of scikit-learn and no default model is below 0.93', async () => {
    const { report, code } = await train(args);
    expect(code).toBe(0);
    expect(report!.cv).toMatchObject({ k: 5 });
    expect(report!.split.test).toEqual([]);
    const means = cvMeans(report);
    for (const [id, reference] of Object.entries(sklearn))
      expect(Math.abs(means[id]! - reference)).toBeLessThanOrEqual(0.02);
    // The dummy baseline scores a third here by design.
    for (const m of report!.models) if (!m.baseline) expect(means[m.id]).toBeGreaterThanOrEqual(0.93);
    for (const m of report!.models) {
      const folds = m.cv!.accuracy.folds;
      expect(folds).toHaveLength(5);
      const mean = folds.reduce((a, b) => a + b, 0) / 5;
      expect(m.cv!.accuracy.mean).toBeCloseTo(mean, 12);
      // population std, as np.std
      expect(m.cv!.accuracy.std).toBeCloseTo(Math.sqrt(folds.reduce((a, f) => a + (f - mean) ** 2, 0) / 5), 12);
    }
  });

  it('gives identical metrics at --threads 1, 2 and 4', async () => {
    const runs = await Promise.all(['1', '2', '4'].map((t) => train([...args, '--threads', t])));
    const strip = (r: Report | undefined) =>
      r!.models.map(({ cv, tuning, params, status }) => ({ cv: cv && { ...cv, fitMs: null }, tuning, params, status }));
    expect(strip(runs[0]!.report)).toEqual(strip(runs[1]!.report));
    expect(strip(runs[0]!.report)).toEqual(strip(runs[2]!.report));
    expect(runs.map((r) => r.report!.threads)).toEqual([1, 2, 4]);
  });
});

import { describe, expect, it } from 'vitest';
import { builtinModels } from '../src/models/index.js';
import { expandGrid } from '../src/ml/grid.js';
import type { Report } from '../src/results/report.js';
import { train } from './support/helpers.js';

describe('--tune', () => {
  it('scores every grid candidate by CV, refits the best and reports all of them, identically at any thread count', async () => {
    const args = ['--tune', '--models', 'knn,svm', '--cv', '3'];
    const [one, two] = await Promise.all([train([...args, '--threads', '1']), train([...args, '--threads', '2'])]);
    expect(one.code).toBe(0);
    for (const model of one.report!.models) {
      const def = builtinModels.find((d) => d.id === model.id)!;
      const tuning = model.tuning!;
      expect(tuning.candidates.map((c) => c.params)).toEqual(expandGrid(def.params, def.grid));
      const best = tuning.candidates[tuning.best!]!;
      const top = Math.max(...tuning.candidates.map((c) => c.cv!.accuracy.mean));
      expect(best.cv!.accuracy.mean).toBe(top);
      // the earliest of the best-scoring, lowest-std candidates wins
      const first = tuning.candidates.findIndex(
        (c) =>
          c.cv!.accuracy.mean === top &&
          c.cv!.accuracy.std ===
            Math.min(...tuning.candidates.filter((d) => d.cv!.accuracy.mean === top).map((d) => d.cv!.accuracy.std)),
      );
      expect(tuning.best).toBe(first);
      expect(model.params).toEqual(best.params);
      expect(model.cv!.accuracy).toEqual(best.cv!.accuracy);
    }
    const scores = (r: Report | undefined) =>
      r!.models.map((m) => ({
        best: m.tuning!.best,
        acc: m.tuning!.candidates.map((c) => c.cv!.accuracy),
        metrics: m.status === 'ok' && m.metrics,
      }));
    expect(scores(one.report)).toEqual(scores(two.report));
  });
});

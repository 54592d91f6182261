import { describe, expect, it } from 'vitest';
import { computeMetrics, confusionMatrix } from '../src/ml/metrics.js';

describe('metrics against hand-computed cases', () => {
  // true:  a a a b b c
  // pred:  a a b b c c
  const yTrue = [0, 0, 0, 1, 1, 2];
  const yPred = [0, 0, 1, 1, 2, 2];
  const m = computeMetrics(yTrue, yPred, ['a', 'b', 'c']);

  it('confusion matrix: rows are true classes, columns predictions', () => {
    expect(m.confusionMatrix).toEqual({
      labels: ['a', 'b', 'c'],
      matrix: [
        [2, 1, 0],
        [0, 1, 1],
        [0, 0, 1],
      ],
    });
  });

  it('accuracy and balanced accuracy', () => {
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    // recalls: a 2/3, b 1/2, c 1/1
    expect(m.balancedAccuracy).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3, 12);
  });

  it('per-class and macro precision, recall, F1', () => {
    // precisions: a 2/2, b 1/2, c 1/2
    expect(m.perClass.map((c) => c.precision)).toEqual([1, 0.5, 0.5]);
    expect(m.perClass.map((c) => c.recall)).toEqual([2 / 3, 0.5, 1]);
    expect(m.perClass[0]!.f1).toBeCloseTo(0.8, 12);
    expect(m.perClass[2]!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.perClass.map((c) => c.support)).toEqual([3, 2, 1]);
    expect(m.macroPrecision).toBeCloseTo(2 / 3, 12);
    expect(m.macroRecall).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
    expect(m.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it('a perfect prediction scores 1 everywhere', () => {
    const p = computeMetrics([0, 1, 2, 1], [0, 1, 2, 1], ['x', 'y', 'z']);
    expect([p.accuracy, p.balancedAccuracy, p.macroPrecision, p.macroRecall, p.macroF1]).toEqual([1, 1, 1, 1, 1]);
  });

  it('a class never predicted has precision 0 (0/0), not NaN', () => {
    const p = computeMetrics([0, 1], [0, 0], ['x', 'y']);
    expect(p.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(p.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });

  it('refuses label and prediction lists of different lengths', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 true labels but 1 predictions/);
  });
});

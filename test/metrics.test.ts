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

// Reference values from scikit-learn 1.2.1 (Debian's python3-sklearn), on the inputs below:
//   roc_auc_score(y, P, multi_class='ovr', average='macro' | 'weighted'), log_loss(y, P, eps=1e-15,
//   labels=[0, 1, 2]), cohen_kappa_score(y, p), matthews_corrcoef(y, p),
//   precision_score / recall_score / f1_score(y, p, average='weighted');
// for two classes roc_auc_score(y, s) and log_loss(y, [[1 - s, s]], eps=1e-15).
describe('metrics against scikit-learn on fixed inputs', () => {
  const close = (actual: number | null, expected: number) => {
    expect(actual).not.toBeNull();
    expect(Math.abs(actual! - expected)).toBeLessThan(1e-12);
  };

  it('three classes: ROC AUC (ovr macro and weighted), log loss, kappa, MCC, weighted P/R/F1', () => {
    const y = [0, 0, 0, 1, 1, 2, 2, 2];
    const p = [0, 1, 0, 1, 2, 2, 2, 0];
    const P = Float64Array.from(
      [
        [0.7, 0.2, 0.1],
        [0.3, 0.5, 0.2],
        [0.6, 0.3, 0.1],
        [0.2, 0.6, 0.2],
        [0.1, 0.4, 0.5],
        [0.1, 0.1, 0.8],
        [0.2, 0.2, 0.6],
        [0.5, 0.2, 0.3],
      ].flat(),
    );
    const m = computeMetrics(y, p, ['a', 'b', 'c'], P);
    close(m.rocAuc, 0.9277777777777777);
    close(m.rocAucWeighted, 0.9291666666666666);
    close(m.logLoss, 0.6795664633846177);
    close(m.kappa, 0.4285714285714286);
    close(m.mcc, 0.42857142857142855);
    close(m.weightedPrecision, 0.625);
    close(m.weightedRecall, 0.625);
    close(m.weightedF1, 0.625);
  });

  it('two classes, with tied scores and a probability of 0 on the true class (clipped at 1e-15)', () => {
    const y = [0, 0, 1, 1, 1, 0, 1, 0, 1, 1];
    const s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.05, 0.6, 0.0];
    const p = s.map((v) => (v >= 0.5 ? 1 : 0));
    const m = computeMetrics(y, p, ['no', 'yes'], Float64Array.from(s.flatMap((v) => [1 - v, v])));
    close(m.rocAuc, 0.7083333333333333);
    close(m.rocAucWeighted, 0.7083333333333333);
    close(m.logLoss, 3.85225239995989);
    close(m.kappa, 0.44444444444444453);
    close(m.mcc, 0.5345224838248488);
    close(m.weightedPrecision, 0.8285714285714285);
    close(m.weightedRecall, 0.7);
    close(m.weightedF1, 0.6909090909090909);
  });

  it('a model without probabilities has null for them (n/a), never 0; its other scores are there', () => {
    const m = computeMetrics([0, 1, 1], [0, 1, 0], ['x', 'y']);
    expect([m.rocAuc, m.rocAucWeighted, m.logLoss]).toEqual([null, null, null]);
    expect(m.mcc).toBeCloseTo(0.5, 12);
  });

  it('scores scikit-learn leaves undefined are null: AUC with a class absent from the rows, kappa of one class', () => {
    // Class 2 has no row: roc_auc_score raises, as for rows of a single class in two.
    const P = Float64Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1]);
    expect(computeMetrics([0, 1], [0, 1], ['a', 'b', 'c'], P).rocAuc).toBeNull();
    expect(computeMetrics([1, 1], [1, 1], ['a', 'b'], Float64Array.from([0.3, 0.7, 0.4, 0.6])).rocAuc).toBeNull();
    // cohen_kappa_score([1, 1], [1, 1]) is nan (0/0); matthews_corrcoef gives 0 there.
    const one = computeMetrics([1, 1], [1, 1], ['a', 'b']);
    expect(one.kappa).toBeNull();
    expect(one.mcc).toBe(0);
  });
});

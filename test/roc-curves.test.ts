// ROC curves in report.html, drawn from the report's own probabilities: one per model with
// probabilities for two classes, one per class (against the rest) of the best model for more;
// and the curve itself: from (0, 0) to (1, 1), never going back, its area the AUC.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryAuc, rocCurve } from '../src/ml/metrics.js';
import { fixture, runCli, tempDir } from './support/helpers.js';

async function reportHtml(args: string[]): Promise<string> {
  const dir = tempDir();
  const run = await runCli('train', ['--results-dir', dir, '--quiet', ...args]);
  expect(run.code, run.stderr).toBe(0);
  const id = readdirSync(dir).find((n) => !n.startsWith('.'))!;
  return readFileSync(join(dir, id, 'report.html'), 'utf8');
}

const rocFigure = (html: string) => /<figure class="chart" data-chart="roc">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
const curves = (figure: string) => figure.match(/class="mark-line role-mark curves_marks"/g)?.length ?? 0;

describe('ROC curves', () => {
  it('the curve runs from (0, 0) to (1, 1) without going back, and its area is the AUC', () => {
    const y = [0, 0, 1, 1, 1, 0, 1, 0, 1, 1];
    const s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.05, 0.6, 0.0];
    const curve = rocCurve(
      (i) => y[i] === 1,
      (i) => s[i]!,
      y.length,
    )!;
    expect([curve.fpr[0], curve.tpr[0], curve.fpr.at(-1), curve.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
    for (let i = 1; i < curve.fpr.length; i++) {
      expect(curve.fpr[i]).toBeGreaterThanOrEqual(curve.fpr[i - 1]!);
      expect(curve.tpr[i]).toBeGreaterThanOrEqual(curve.tpr[i - 1]!);
    }
    let area = 0;
    for (let i = 1; i < curve.fpr.length; i++)
      area += ((curve.fpr[i]! - curve.fpr[i - 1]!) * (curve.tpr[i]! + curve.tpr[i - 1]!)) / 2;
    // scikit-learn's roc_auc_score on the same input: 0.7083333333333333.
    expect(area).toBeCloseTo(
      binaryAuc(
        (i) => y[i] === 1,
        (i) => s[i]!,
        y.length,
      )!,
      12,
    );
    expect(area).toBeCloseTo(0.7083333333333333, 12);
    expect(
      rocCurve(
        () => true,
        (i) => s[i]!,
        y.length,
      ),
    ).toBeUndefined();
  });

  it('two classes: one curve per model with probabilities, the others named in the caption', async () => {
    const html = await reportHtml([
      '--dataset',
      fixture('sklearn/breast-cancer.csv'),
      '--models',
      'logistic-regression,naive-bayes,svm-mljs',
    ]);
    const figure = rocFigure(html);
    expect(curves(figure)).toBe(2);
    expect(figure).toMatch(/>logistic-regression \(AUC 0\.\d{3}\)</);
    expect(figure).toMatch(/>naive-bayes \(AUC 0\.\d{3}\)</);
    expect(figure).toContain('No probabilities: svm-mljs.');
  });

  it('three classes: one curve per class for the best model; without a test part, from the pooled folds', async () => {
    const html = await reportHtml(['--models', 'knn,svm-mljs', '--cv', '3', '--test-size', '0']);
    const figure = rocFigure(html);
    expect(curves(figure)).toBe(3);
    for (const name of ['setosa', 'versicolor', 'virginica'])
      expect(figure).toMatch(new RegExp(`>${name} vs rest \\(AUC`));
    expect(figure).toContain(
      'for knn (the best with probabilities) on the out-of-fold predictions of every CV fold, pooled',
    );
  });

  it('no model with probabilities: no ROC section', async () => {
    const html = await reportHtml(['--models', 'svm-mljs']);
    expect(html).not.toContain('data-chart="roc"');
  });
});

import LogisticRegression from 'ml-logistic-regression';
import mlLogisticRegression from 'ml-logistic-regression/package.json' with { type: 'json' };
import { Matrix } from 'ml-matrix';
import { z } from 'zod';
import type { RowEstimator } from '../ml/estimator.js';
import { defineModel, fitted } from './adapter.js';

const schema = z.strictObject({ numSteps: z.number().int().positive(), learningRate: z.number().positive() });
type Params = z.infer<typeof schema>;

// The library fits no intercept: a constant column gives it one.
function withIntercept(X: number[][]): Matrix {
  return new Matrix(X.map((row) => [...row, 1]));
}

class LogisticRegressionEstimator implements RowEstimator {
  constructor(
    private readonly params: Params,
    private readonly classes: number,
    private model?: LogisticRegression,
  ) {}

  fit(X: number[][], y: number[]): void {
    // The library sums its gradient over rows; dividing the step by the row count makes
    // `learningRate` mean the same thing whatever the size of the training part.
    this.model = new LogisticRegression({
      numSteps: this.params.numSteps,
      learningRate: this.params.learningRate / Math.max(1, X.length),
    });
    this.model.train(withIntercept(X), Matrix.columnVector(y));
  }

  predict(X: number[][]): number[] {
    return this.trained().predict(withIntercept(X));
  }

  /**
   * The one-vs-rest models' probabilities of each class, normalized to sum to 1 per row (as
   * scikit-learn's OneVsRestClassifier does); predict() takes the same arg-max.
   */
  predictProba(X: number[][]): number[][] {
    const model = this.trained();
    const data = withIntercept(X);
    // The library labels each model's own class 0: its score is the probability of the rest.
    const own = model.classifiers.map((c) => c.testScores(data).map((rest) => 1 - rest));
    return X.map((_, i) => {
      const row = Array.from({ length: this.classes }, (_, c) => own[c]?.[i] ?? 0);
      const sum = row.reduce((a, b) => a + b, 0);
      return sum > 0 ? row.map((p) => p / sum) : row.map(() => 1 / this.classes);
    });
  }

  toJSON(): unknown {
    return { params: this.params, classes: this.classes, model: JSON.parse(JSON.stringify(this.trained())) as unknown };
  }

  private trained(): LogisticRegression {
    return fitted(this.model, 'logistic-regression-mljs');
  }
}

export default defineModel<Params>({
  id: 'logistic-regression-mljs',
  description: 'Logistic regression, one-vs-rest, gradient descent with intercept (ml-logistic-regression)',
  library: { name: 'ml-logistic-regression', version: mlLogisticRegression.version },
  // On standardized features 200 steps of 5 converge (~25 ms on iris); the library's defaults,
  // 50,000 steps of 5e-4, take ~5 s.
  params: { numSteps: 200, learningRate: 5 },
  schema,
  grid: { numSteps: [100, 200, 500], learningRate: [1, 2, 5] },
  preprocess: 'standardize',
  // The engine-backed model of the same name is faster and as accurate: not in the default set.
  default: false,
  // ml-matrix operations over every row, for every step and every class (one-vs-rest).
  cost: ({ rows, features, classes, params }) => params.numSteps * rows * (features + 1) * classes * 3.7e-7,
  probabilities: true,
  create: (params, ctx) => new LogisticRegressionEstimator(params, ctx.classes),
  load(json) {
    // Models saved before probabilities were kept no class count: one per one-vs-rest model.
    const { params, classes, model } = json as { params: Params; classes?: number; model: { numberClasses: number } };
    return new LogisticRegressionEstimator(params, classes ?? model.numberClasses, LogisticRegression.load(model));
  },
});

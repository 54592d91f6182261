import { GaussianNB, type GaussianNBJson } from 'ml-naivebayes';
import mlNaiveBayes from 'ml-naivebayes/package.json' with { type: 'json' };
import { z } from 'zod';
import type { RowEstimator } from '../ml/estimator.js';
import { defineModel, fitted } from './adapter.js';

const schema = z.strictObject({
  /** Share of the largest feature variance added to every variance, as scikit-learn's GaussianNB. */
  varSmoothing: z.number().min(0),
});
type Params = z.infer<typeof schema>;

/**
 * The library divides by each class's feature std, so a feature constant within one class gives
 * Infinity and NaN scores. Adding a small share of the largest variance to every variance, as
 * scikit-learn does, keeps the model defined; it is applied to the library's own model JSON.
 */
function smooth(json: GaussianNBJson, varSmoothing: number): GaussianNBJson {
  const variance = (p: [number, number]) => -p[1] / 2;
  const all = json.calculateProbabilities.flatMap(([, ...features]) => features.map(variance));
  const epsilon = varSmoothing * Math.max(0, ...all.filter(Number.isFinite)) || varSmoothing;
  return {
    ...json,
    calculateProbabilities: json.calculateProbabilities.map(([prior, ...features]) => [
      prior,
      ...features.map((p): [number, number] => {
        const v = variance(p) + epsilon;
        return [1 / (Math.sqrt(2 * Math.PI) * Math.sqrt(v)), -2 * v];
      }),
    ]),
  };
}

class GaussianNaiveBayes implements RowEstimator {
  constructor(
    private readonly params: Params,
    private model?: GaussianNB,
  ) {}

  fit(X: number[][], y: number[]): void {
    const model = new GaussianNB();
    model.train(X, y);
    this.model = GaussianNB.load(smooth(model.toJSON(), this.params.varSmoothing));
  }

  /**
   * Scores with the library's fitted means, variances and priors, but not its predict(): that
   * reads only the first two features whatever the data (its loop bound is the length of a
   * [coefficient, exponent] pair), multiplies probabilities until they underflow to 0, and throws
   * whenever the row count equals features + 1. Here: log-likelihoods summed over every feature.
   */
  predict(X: number[][]): number[] {
    return this.scores(X).map((scores) => scores.reduce((best, s, c) => (s > scores[best]! ? c : best), 0));
  }

  /** The same scores as probabilities: exp(score - max) / sum, which cannot underflow to 0 everywhere. */
  predictProba(X: number[][]): number[][] {
    return this.scores(X).map((scores) => {
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    });
  }

  /** Per row, each class's joint log-likelihood: log prior plus every feature's Gaussian log density. */
  private scores(X: number[][]): number[][] {
    const { means, calculateProbabilities } = fitted(this.model, 'naive-bayes-mljs').toJSON();
    return X.map((row) =>
      calculateProbabilities.map(([logPrior, ...features], c) => {
        let score = logPrior;
        features.forEach(([coefficient, exponent], j) => {
          const d = (row[j] as number) - (means[c]![j] as number);
          score += Math.log(coefficient) + (d * d) / exponent;
        });
        return score;
      }),
    );
  }

  toJSON(): unknown {
    return { params: this.params, model: fitted(this.model, 'naive-bayes-mljs').toJSON() };
  }
}

export default defineModel<Params>({
  id: 'naive-bayes-mljs',
  description: 'Gaussian naive Bayes (ml-naivebayes), with variance smoothing',
  library: { name: 'ml-naivebayes', version: mlNaiveBayes.version },
  params: { varSmoothing: 1e-9 },
  schema,
  grid: { varSmoothing: [1e-9, 1e-6, 1e-3, 1e-1] },
  preprocess: 'none',
  // The engine-backed model of the same name is faster and as accurate: not in the default set.
  default: false,
  probabilities: true,
  cost: ({ rows, features, classes }) => rows * features * classes * 1e-7,
  create: (params) => new GaussianNaiveBayes(params),
  load(json) {
    const { params, model } = json as { params: Params; model: GaussianNBJson };
    return new GaussianNaiveBayes(params, GaussianNB.load(model));
  },
});

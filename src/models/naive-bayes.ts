import { GaussianNB, type GaussianNBJson } from 'ml-naivebayes';
import { defineModel, type Estimator, type Features, type Labels } from '../ml/estimator.js';

interface Params {
  [key: string]: number;
  /** Share of the largest feature variance added to every variance, as scikit-learn's GaussianNB. */
  varSmoothing: number;
}

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

class GaussianNaiveBayes implements Estimator {
  constructor(
    private readonly params: Params,
    private model?: GaussianNB,
  ) {}

  fit(X: Features, y: Labels): void {
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
  predict(X: Features): Labels {
    if (!this.model) throw new Error('naive-bayes: fit() must run before predict() or toJSON()');
    const { means, calculateProbabilities } = this.model.toJSON();
    return X.map((row) => {
      let best = 0;
      let bestScore = -Infinity;
      calculateProbabilities.forEach(([logPrior, ...features], c) => {
        let score = logPrior;
        features.forEach(([coefficient, exponent], j) => {
          const d = (row[j] as number) - (means[c]![j] as number);
          score += Math.log(coefficient) + (d * d) / exponent;
        });
        if (score > bestScore) {
          bestScore = score;
          best = c;
        }
      });
      return best;
    });
  }

  toJSON(): unknown {
    if (!this.model) throw new Error('naive-bayes: fit() must run before predict() or toJSON()');
    return { params: this.params, model: this.model.toJSON() };
  }
}

export default defineModel<Params>({
  id: 'naive-bayes',
  description: 'Gaussian naive Bayes (ml-naivebayes), with variance smoothing',
  params: { varSmoothing: 1e-9 },
  grid: { varSmoothing: [1e-9, 1e-6, 1e-3, 1e-1] },
  preprocess: 'none',
  create: (params) => new GaussianNaiveBayes(params),
  load(json) {
    const { params, model } = json as { params: Params; model: GaussianNBJson };
    return new GaussianNaiveBayes(params, GaussianNB.load(model));
  },
});

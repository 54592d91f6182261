import KNN from 'ml-knn';
import { defineModel, type Estimator, type Features, type Labels } from '../ml/estimator.js';

interface Params {
  [key: string]: number;
  k: number;
}

class KnnEstimator implements Estimator {
  constructor(
    private readonly params: Params,
    private model?: KNN,
  ) {}

  fit(X: Features, y: Labels): void {
    // Fewer rows than k would make every prediction the overall majority.
    this.model = new KNN(X, y, { k: Math.min(this.params.k, X.length) });
  }

  predict(X: Features): Labels {
    if (!this.model) throw new Error('knn: fit() must run before predict() or toJSON()');
    return this.model.predict(X);
  }

  toJSON(): unknown {
    if (!this.model) throw new Error('knn: fit() must run before predict() or toJSON()');
    return { params: this.params, model: JSON.parse(JSON.stringify(this.model)) as unknown };
  }
}

export default defineModel<Params>({
  id: 'knn',
  description: 'k-nearest neighbours, Euclidean distance, k-d tree (ml-knn)',
  params: { k: 5 },
  grid: { k: [1, 3, 5, 7, 11, 15] },
  // Distances mix every feature's units: without scaling the widest feature decides alone.
  preprocess: 'standardize',
  create: (params) => new KnnEstimator(params),
  load(json) {
    const { params, model } = json as { params: Params; model: unknown };
    return new KnnEstimator(params, KNN.load(model));
  },
});

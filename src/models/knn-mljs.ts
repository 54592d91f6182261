import KNN from 'ml-knn';
import mlKnn from 'ml-knn/package.json' with { type: 'json' };
import { z } from 'zod';
import type { RowEstimator } from '../ml/estimator.js';
import { defineModel, fitted } from './adapter.js';

const schema = z.strictObject({ k: z.number().int().positive() });
type Params = z.infer<typeof schema>;

class KnnEstimator implements RowEstimator {
  constructor(
    private readonly params: Params,
    private model?: KNN,
  ) {}

  fit(X: number[][], y: number[]): void {
    // Fewer rows than k would make every prediction the overall majority.
    this.model = new KNN(X, y, { k: Math.min(this.params.k, X.length) });
  }

  predict(X: number[][]): number[] {
    return fitted(this.model, 'knn-mljs').predict(X);
  }

  toJSON(): unknown {
    return { params: this.params, model: JSON.parse(JSON.stringify(fitted(this.model, 'knn-mljs'))) as unknown };
  }
}

export default defineModel<Params>({
  id: 'knn-mljs',
  description: 'k-nearest neighbours, Euclidean distance, k-d tree (ml-knn)',
  library: { name: 'ml-knn', version: mlKnn.version },
  params: { k: 5 },
  schema,
  grid: { k: [1, 3, 5, 7, 11, 15] },
  // Distances mix every feature's units: without scaling the widest feature decides alone.
  preprocess: 'standardize',
  // The engine-backed model of the same name is faster and as accurate: not in the default set.
  default: false,
  // Predicting dominates: every test row against every training row (the k-d tree saves little).
  cost: ({ rows, features }) => rows * (rows / 4) * features * 2.6e-7,
  create: (params) => new KnnEstimator(params),
  load(json) {
    const { params, model } = json as { params: Params; model: unknown };
    return new KnnEstimator(params, KNN.load(model));
  },
});

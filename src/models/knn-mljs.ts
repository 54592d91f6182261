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
    private readonly classes: number,
    private model?: KNN,
  ) {}

  fit(X: number[][], y: number[]): void {
    // Fewer rows than k would make every prediction the overall majority.
    this.model = new KNN(X, y, { k: Math.min(this.params.k, X.length) });
  }

  predict(X: number[][]): number[] {
    return fitted(this.model, 'knn-mljs').predict(X);
  }

  /** Each class's share of the k neighbours predict() votes with (the library's own k-d tree search). */
  predictProba(X: number[][]): number[][] {
    const model = fitted(this.model, 'knn-mljs');
    return X.map((row) => {
      const shares = new Array<number>(this.classes).fill(0);
      const nearest = model.kdTree.nearest(row, model.k);
      for (const [point] of nearest) shares[point[point.length - 1]!]! += 1 / nearest.length;
      return shares;
    });
  }

  toJSON(): unknown {
    return {
      params: this.params,
      classes: this.classes,
      model: JSON.parse(JSON.stringify(fitted(this.model, 'knn-mljs'))) as unknown,
    };
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
  probabilities: true,
  create: (params, ctx) => new KnnEstimator(params, ctx.classes),
  load(json) {
    // Models saved before probabilities were kept no class count: the library's own list of classes.
    const { params, classes, model } = json as { params: Params; classes?: number; model: { classes: number[] } };
    return new KnnEstimator(params, classes ?? Math.max(...model.classes) + 1, KNN.load(model));
  },
});

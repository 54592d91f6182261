import { DecisionTreeClassifier } from 'ml-cart';
import cart from 'ml-cart/package.json' with { type: 'json' };
import { z } from 'zod';
import type { RowEstimator } from '../ml/estimator.js';
import { defineModel, fitted } from './adapter.js';

const schema = z.strictObject({
  /** null: grow until leaves are pure or too small to split. */
  maxDepth: z.number().int().positive().nullable(),
  minNumSamples: z.number().int().min(1),
});
type Params = z.infer<typeof schema>;

class DecisionTreeEstimator implements RowEstimator {
  constructor(
    private readonly params: Params,
    private model?: DecisionTreeClassifier,
  ) {}

  fit(X: number[][], y: number[]): void {
    this.model = new DecisionTreeClassifier({
      gainFunction: 'gini',
      minNumSamples: this.params.minNumSamples,
      // JSON has no Infinity: the params say null for an unbounded depth.
      maxDepth: this.params.maxDepth ?? Infinity,
    });
    this.model.train(X, y);
  }

  predict(X: number[][]): number[] {
    return fitted(this.model, 'decision-tree-mljs').predict(X);
  }

  toJSON(): unknown {
    return {
      params: this.params,
      model: JSON.parse(JSON.stringify(fitted(this.model, 'decision-tree-mljs'))) as unknown,
    };
  }
}

export default defineModel<Params>({
  id: 'decision-tree-mljs',
  description: 'CART decision tree, Gini impurity (ml-cart)',
  library: { name: 'ml-cart', version: cart.version },
  params: { maxDepth: null, minNumSamples: 3 },
  schema,
  grid: { maxDepth: [3, 5, 10, null], minNumSamples: [2, 3, 5] },
  preprocess: 'none',
  // The engine-backed model of the same name is faster and as accurate: not in the default set.
  default: false,
  // ml-cart rescans every row for every candidate threshold: quadratic in a node's rows.
  cost: ({ rows, features }) => rows * rows * features * 1.7e-7,
  create: (params) => new DecisionTreeEstimator(params),
  load(json) {
    const { params, model } = json as { params: Params; model: unknown };
    return new DecisionTreeEstimator(params, DecisionTreeClassifier.load(model));
  },
});

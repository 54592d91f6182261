import { DecisionTreeClassifier } from 'ml-cart';
import { defineModel, type Estimator, type Features, type Labels } from '../ml/estimator.js';

interface Params {
  [key: string]: number | null;
  /** null: grow until leaves are pure or too small to split. */
  maxDepth: number | null;
  minNumSamples: number;
}

class DecisionTreeEstimator implements Estimator {
  constructor(
    private readonly params: Params,
    private model?: DecisionTreeClassifier,
  ) {}

  fit(X: Features, y: Labels): void {
    this.model = new DecisionTreeClassifier({
      gainFunction: 'gini',
      minNumSamples: this.params.minNumSamples,
      // JSON has no Infinity: the params say null for an unbounded depth.
      maxDepth: this.params.maxDepth ?? Infinity,
    });
    this.model.train(X, y);
  }

  predict(X: Features): Labels {
    if (!this.model) throw new Error('decision-tree: fit() must run before predict() or toJSON()');
    return this.model.predict(X);
  }

  toJSON(): unknown {
    if (!this.model) throw new Error('decision-tree: fit() must run before predict() or toJSON()');
    return { params: this.params, model: JSON.parse(JSON.stringify(this.model)) as unknown };
  }
}

export default defineModel<Params>({
  id: 'decision-tree',
  description: 'CART decision tree, Gini impurity (ml-cart)',
  params: { maxDepth: null, minNumSamples: 3 },
  grid: { maxDepth: [3, 5, 10, null], minNumSamples: [2, 3, 5] },
  preprocess: 'none',
  cost: 2,
  create: (params) => new DecisionTreeEstimator(params),
  load(json) {
    const { params, model } = json as { params: Params; model: unknown };
    return new DecisionTreeEstimator(params, DecisionTreeClassifier.load(model));
  },
});

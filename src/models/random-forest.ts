import { RandomForestClassifier } from 'ml-random-forest';
import { defineModel, type Estimator, type Features, type Labels } from '../ml/estimator.js';

interface Params {
  [key: string]: number | null;
  nEstimators: number;
  /** Features drawn per tree: a fraction of all (0-1] or a count. */
  maxFeatures: number;
  /** ml-cart's smallest node that may still be split. */
  minNumSamples: number;
  /** Deepest a tree may grow; null: until leaves are pure or too small to split. */
  maxDepth: number | null;
}

class RandomForestEstimator implements Estimator {
  constructor(
    private readonly params: Params,
    private readonly seed: number,
    private model?: RandomForestClassifier,
  ) {}

  fit(X: Features, y: Labels): void {
    this.model = new RandomForestClassifier({
      nEstimators: this.params.nEstimators,
      maxFeatures: this.params.maxFeatures,
      // Features are drawn per tree, not per split: without replacement a tree never gets the
      // same feature twice.
      replacement: false,
      // The library needs a 32-bit integer seed.
      seed: this.seed | 0,
      useSampleBagging: true,
      // Out-of-bag scoring can throw on small forests and is not used here.
      noOOB: true,
      // JSON has no Infinity: the params say null for an unbounded depth.
      treeOptions: { minNumSamples: this.params.minNumSamples, maxDepth: this.params.maxDepth ?? Infinity },
    } as ConstructorParameters<typeof RandomForestClassifier>[0]);
    this.model.train(X, y);
  }

  predict(X: Features): Labels {
    // predict() votes with every tree; the library's predictProbability() drops the first tree.
    return this.trained().predict(X);
  }

  toJSON(): unknown {
    return { params: this.params, seed: this.seed, model: JSON.parse(JSON.stringify(this.trained())) as unknown };
  }

  private trained(): RandomForestClassifier {
    if (!this.model) throw new Error('random-forest: fit() must run before predict() or toJSON()');
    return this.model;
  }
}

export default defineModel<Params>({
  id: 'random-forest',
  description: 'Random forest of CART trees with bagging (ml-random-forest)',
  params: { nEstimators: 50, maxFeatures: 0.5, minNumSamples: 3, maxDepth: null },
  grid: { nEstimators: [50, 100, 200], maxFeatures: [0.5, 0.75, 1] },
  preprocess: 'none',
  cost: 20,
  create: (params, ctx) => new RandomForestEstimator(params, ctx.seed),
  load(json) {
    const { params, seed, model } = json as { params: Params; seed: number; model: unknown };
    return new RandomForestEstimator(
      params,
      seed,
      RandomForestClassifier.load(model as Parameters<typeof RandomForestClassifier.load>[0]),
    );
  },
});

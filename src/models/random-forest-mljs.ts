import { RandomForestClassifier } from 'ml-random-forest';
import mlRandomForest from 'ml-random-forest/package.json' with { type: 'json' };
import { z } from 'zod';
import type { RowEstimator } from '../ml/estimator.js';
import { defineModel, fitted } from './adapter.js';

const schema = z.strictObject({
  nEstimators: z.number().int().positive(),
  /** Features drawn per tree: a fraction of all (0-1] or a count. */
  maxFeatures: z.number().positive(),
  /** ml-cart's smallest node that may still be split. */
  minNumSamples: z.number().int().min(1),
  /** Deepest a tree may grow; null: until leaves are pure or too small to split. */
  maxDepth: z.number().int().positive().nullable(),
});
type Params = z.infer<typeof schema>;

class RandomForestEstimator implements RowEstimator {
  constructor(
    private readonly params: Params,
    private readonly seed: number,
    private model?: RandomForestClassifier,
  ) {}

  fit(X: number[][], y: number[]): void {
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

  predict(X: number[][]): number[] {
    // predict() votes with every tree; the library's predictProbability() drops the first tree.
    return this.trained().predict(X);
  }

  toJSON(): unknown {
    return { params: this.params, seed: this.seed, model: JSON.parse(JSON.stringify(this.trained())) as unknown };
  }

  private trained(): RandomForestClassifier {
    return fitted(this.model, 'random-forest-mljs');
  }
}

export default defineModel<Params>({
  id: 'random-forest-mljs',
  description: 'Random forest of CART trees with bagging (ml-random-forest)',
  library: { name: 'ml-random-forest', version: mlRandomForest.version },
  params: { nEstimators: 50, maxFeatures: 0.5, minNumSamples: 3, maxDepth: null },
  schema,
  grid: { nEstimators: [50, 100, 200], maxFeatures: [0.5, 0.75, 1] },
  preprocess: 'none',
  // The engine-backed model of the same name is faster and as accurate: not in the default set.
  default: false,
  // Each tree is an ml-cart tree (quadratic in a node's rows) on its share of the features.
  cost: ({ rows, features, params }) =>
    params.nEstimators *
    rows *
    rows *
    (params.maxFeatures <= 1 ? params.maxFeatures * features : Math.min(features, params.maxFeatures)) *
    1.7e-7,
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

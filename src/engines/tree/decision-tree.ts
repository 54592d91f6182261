// A CART classification tree, as scikit-learn's DecisionTreeClassifier (best splits, gini or
// entropy), grown on binned features: exactly CART wherever a feature has at most maxBins
// distinct values.

import type { Matrix } from '../../ml/matrix.js';
import { createRandom } from '../../ml/random.js';
import { binFeatures } from './binning.js';
import { ClassTreeGrower } from './cart.js';
import { EnsembleBuilder, TreeEnsemble, type EnsembleJson } from './ensemble.js';
import { argmaxRows, cartSettings, checkFitInputs, checkTreeParams, type TreeParams } from './params.js';

export type DecisionTreeParams = TreeParams;

export const DECISION_TREE_DEFAULTS: DecisionTreeParams = {
  criterion: 'gini',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: null,
  maxBins: 255,
};

export interface DecisionTreeJson {
  kind: 'decision-tree';
  params: DecisionTreeParams;
  seed: number;
  classes: number;
  features: number;
  tree: EnsembleJson;
}

export class DecisionTreeClassifier {
  private readonly params: DecisionTreeParams;
  private tree: TreeEnsemble | null = null;
  private classes = 0;
  private features = 0;

  constructor(
    params: Partial<DecisionTreeParams>,
    private readonly seed: number,
  ) {
    this.params = { ...DECISION_TREE_DEFAULTS, ...params };
    checkTreeParams(this.params, 'DecisionTreeClassifier');
  }

  fit(X: Matrix, y: Int32Array, classes: number): void {
    checkFitInputs(X, y, classes, 'DecisionTreeClassifier');
    const data = binFeatures(X, this.params.maxBins);
    const grower = new ClassTreeGrower(data, y, classes);
    const builder = new EnsembleBuilder(classes, 256);
    const settings = cartSettings(this.params, X.rows, X.cols, false);
    grower.grow(null, settings, createRandom(this.seed), builder);
    this.tree = builder.build();
    this.classes = classes;
    this.features = X.cols;
  }

  /** Class fractions (by weight) of the leaf each row reaches, row-major. */
  predictProba(X: Matrix): Float64Array {
    const tree = this.trained(X);
    const out = new Float64Array(X.rows * this.classes);
    tree.addTree(0, X, out, this.classes, 0);
    return out;
  }

  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X), X.rows, this.classes);
  }

  /** The leaf index each row reaches. */
  apply(X: Matrix): Int32Array {
    return this.trained(X).apply(0, X);
  }

  get ensemble(): TreeEnsemble {
    if (!this.tree) throw new Error('DecisionTreeClassifier: fit() must run first');
    return this.tree;
  }

  toJSON(): DecisionTreeJson {
    return {
      kind: 'decision-tree',
      params: this.params,
      seed: this.seed,
      classes: this.classes,
      features: this.features,
      tree: this.ensemble.toJSON(),
    };
  }

  static fromJSON(json: DecisionTreeJson): DecisionTreeClassifier {
    if (json?.kind !== 'decision-tree') throw new Error('not a DecisionTreeClassifier JSON');
    const model = new DecisionTreeClassifier(json.params, json.seed);
    model.tree = TreeEnsemble.fromJSON(json.tree);
    if (model.tree.width !== json.classes)
      throw new Error('DecisionTreeClassifier JSON: leaf width is not the class count');
    model.classes = json.classes;
    model.features = json.features;
    return model;
  }

  private trained(X: Matrix): TreeEnsemble {
    const tree = this.ensemble;
    if (X.cols !== this.features)
      throw new Error(`DecisionTreeClassifier: fitted on ${this.features} features, got ${X.cols}`);
    return tree;
  }
}

// Random forest and extra trees, as scikit-learn's RandomForestClassifier and
// ExtraTreesClassifier: nEstimators trees on one binning of the data (binned once, shared), each
// from its own seed; features are drawn afresh at every split (maxFeatures), not once per tree.
// A bootstrap tree sees n rows drawn with replacement, as integer row weights (the draw counts),
// the way scikit-learn passes them. predictProba is the mean of the trees' leaf class fractions
// and predict its argmax, as scikit-learn.

import type { Matrix } from '../../ml/matrix.js';
import { createRandom } from '../../ml/random.js';
import { binFeatures } from './binning.js';
import { ClassTreeGrower } from './cart.js';
import { EnsembleBuilder, TreeEnsemble, type EnsembleJson } from './ensemble.js';
import { argmaxRows, cartSettings, checkFitInputs, checkTreeParams, type TreeParams } from './params.js';

export interface ForestParams extends TreeParams {
  nEstimators: number;
  /** Each tree on a bootstrap sample of the rows (n draws with replacement). */
  bootstrap: boolean;
}

export const RANDOM_FOREST_DEFAULTS: ForestParams = {
  nEstimators: 100,
  criterion: 'gini',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 'sqrt',
  maxBins: 255,
  bootstrap: true,
};

export const EXTRA_TREES_DEFAULTS: ForestParams = { ...RANDOM_FOREST_DEFAULTS, bootstrap: false };

type ForestKind = 'random-forest' | 'extra-trees';

export interface ForestJson {
  kind: ForestKind;
  params: ForestParams;
  seed: number;
  classes: number;
  features: number;
  trees: EnsembleJson;
}

abstract class Forest {
  protected readonly params: ForestParams;
  private trees: TreeEnsemble | null = null;
  private classes = 0;
  private features = 0;

  protected constructor(
    private readonly kind: ForestKind,
    private readonly who: string,
    defaults: ForestParams,
    params: Partial<ForestParams>,
    protected readonly seed: number,
  ) {
    this.params = { ...defaults, ...params };
    checkTreeParams(this.params, who);
    const k = this.params.nEstimators;
    if (!Number.isInteger(k) || k < 1) throw new Error(`${who}: nEstimators must be an integer >= 1, got ${k}`);
    if (typeof this.params.bootstrap !== 'boolean') throw new Error(`${who}: bootstrap must be true or false`);
  }

  fit(X: Matrix, y: Int32Array, classes: number): void {
    checkFitInputs(X, y, classes, this.who);
    const p = this.params;
    const n = X.rows;
    const data = binFeatures(X, p.maxBins);
    const grower = new ClassTreeGrower(data, y, classes);
    const settings = cartSettings(p, n, X.cols, this.kind === 'extra-trees');
    const builder = new EnsembleBuilder(classes, 1024);
    const seeds = createRandom(this.seed);
    const weights = p.bootstrap ? new Int32Array(n) : null;
    for (let t = 0; t < p.nEstimators; t++) {
      const random = createRandom(Math.floor(seeds() * 4294967296));
      if (weights) {
        weights.fill(0);
        for (let i = 0; i < n; i++) weights[Math.floor(random() * n)]!++;
      }
      grower.grow(weights, settings, random, builder);
    }
    this.trees = builder.build();
    this.classes = classes;
    this.features = X.cols;
  }

  predictProba(X: Matrix): Float64Array {
    const trees = this.ensemble;
    if (X.cols !== this.features) throw new Error(`${this.who}: fitted on ${this.features} features, got ${X.cols}`);
    const out = new Float64Array(X.rows * this.classes);
    for (let t = 0; t < trees.trees; t++) trees.addTree(t, X, out, this.classes, 0);
    const scale = 1 / trees.trees;
    for (let i = 0; i < out.length; i++) out[i]! *= scale;
    return out;
  }

  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X), X.rows, this.classes);
  }

  get ensemble(): TreeEnsemble {
    if (!this.trees) throw new Error(`${this.who}: fit() must run first`);
    return this.trees;
  }

  toJSON(): ForestJson {
    return {
      kind: this.kind,
      params: this.params,
      seed: this.seed,
      classes: this.classes,
      features: this.features,
      trees: this.ensemble.toJSON(),
    };
  }

  protected restore(json: ForestJson): void {
    if (json?.kind !== this.kind) throw new Error(`not a ${this.who} JSON`);
    const trees = TreeEnsemble.fromJSON(json.trees);
    if (trees.width !== json.classes) throw new Error(`${this.who} JSON: leaf width is not the class count`);
    this.trees = trees;
    this.classes = json.classes;
    this.features = json.features;
  }
}

export class RandomForestClassifier extends Forest {
  constructor(params: Partial<ForestParams>, seed: number) {
    super('random-forest', 'RandomForestClassifier', RANDOM_FOREST_DEFAULTS, params, seed);
  }

  static fromJSON(json: ForestJson): RandomForestClassifier {
    const model = new RandomForestClassifier(json.params, json.seed);
    model.restore(json);
    return model;
  }
}

/**
 * Extra trees: at each split, for each drawn feature, one threshold drawn uniformly between the
 * node's smallest and largest value of it (scikit-learn's random splitter), the best of those.
 */
export class ExtraTreesClassifier extends Forest {
  constructor(params: Partial<ForestParams>, seed: number) {
    super('extra-trees', 'ExtraTreesClassifier', EXTRA_TREES_DEFAULTS, params, seed);
  }

  static fromJSON(json: ForestJson): ExtraTreesClassifier {
    const model = new ExtraTreesClassifier(json.params, json.seed);
    model.restore(json);
    return model;
  }
}

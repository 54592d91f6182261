// The tree engine: one binning, one tree representation and two growers (classification trees,
// boosting trees) behind four scikit-learn-shaped classifiers.

export { DecisionTreeClassifier, DECISION_TREE_DEFAULTS } from './decision-tree.js';
export type { DecisionTreeParams, DecisionTreeJson } from './decision-tree.js';
export {
  RandomForestClassifier,
  ExtraTreesClassifier,
  RANDOM_FOREST_DEFAULTS,
  EXTRA_TREES_DEFAULTS,
} from './forest.js';
export type { ForestParams, ForestJson } from './forest.js';
export { HistGradientBoostingClassifier, HIST_GRADIENT_BOOSTING_DEFAULTS } from './hist-gradient-boosting.js';
export type { HistGradientBoostingParams, HistGradientBoostingJson } from './hist-gradient-boosting.js';
export type { Criterion, MaxFeatures, TreeParams } from './params.js';
export { TreeEnsemble } from './ensemble.js';
export type { EnsembleJson } from './ensemble.js';

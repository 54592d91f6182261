// The built-in models: one file each, listed here in sorted order (a test checks that every file
// in this folder is listed). To add a model, add its file, one import and one entry below.
import type { ModelDefinition } from '../ml/estimator.js';
import decisionTree from './decision-tree.js';
import knn from './knn.js';
import logisticRegression from './logistic-regression.js';
import naiveBayes from './naive-bayes.js';
import randomForest from './random-forest.js';
import svm from './svm.js';

export const builtinModels: readonly ModelDefinition[] = [
  decisionTree,
  knn,
  logisticRegression,
  naiveBayes,
  randomForest,
  svm,
];

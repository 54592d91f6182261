// models/: one file per model, each exporting a typed definition (id, description, the library or
// engine that trains it, default params as plain JSON and their schema, an optional grid,
// create/load); this file lists them in sorted order (a test checks that every model file is
// listed). Beside them: registry.ts (built-ins plus --model-module files, by id), check.ts (the
// conformance checks, as a function), adapter.ts (what the model files share) and libraries.d.ts
// (typings of the untyped ml.js libraries). Model files may import ml/, engines/ and npm
// libraries; nothing here knows of tasks or reports.
import type { ModelDefinition } from '../ml/estimator.js';
import decisionTree from './decision-tree.js';
import decisionTreeMljs from './decision-tree-mljs.js';
import dummy from './dummy.js';
import extraTrees from './extra-trees.js';
import gradientBoosting from './gradient-boosting.js';
import knn from './knn.js';
import knnMljs from './knn-mljs.js';
import logisticRegression from './logistic-regression.js';
import logisticRegressionMljs from './logistic-regression-mljs.js';
import naiveBayes from './naive-bayes.js';
import naiveBayesMljs from './naive-bayes-mljs.js';
import randomForest from './random-forest.js';
import randomForestMljs from './random-forest-mljs.js';
import svm from './svm.js';
import svmMljs from './svm-mljs.js';

export const builtinModels: readonly ModelDefinition[] = [
  decisionTree,
  decisionTreeMljs,
  dummy,
  extraTrees,
  gradientBoosting,
  knn,
  knnMljs,
  logisticRegression,
  logisticRegressionMljs,
  naiveBayes,
  naiveBayesMljs,
  randomForest,
  randomForestMljs,
  svm,
  svmMljs,
];

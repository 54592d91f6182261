// The built-in models: one file each, listed here in sorted order (a test checks that every file
// in this folder is listed). To add a model, add its file and one import and one entry below.
import type { ModelDefinition } from '../estimator.js';
import logisticRegression from './logistic-regression.js';
import randomForest from './random-forest.js';
import svm from './svm.js';

export const builtinModels: readonly ModelDefinition[] = [logisticRegression, randomForest, svm];

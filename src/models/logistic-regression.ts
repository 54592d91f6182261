import { z } from 'zod';
import {
  LogisticRegressionClassifier,
  LOGISTIC_REGRESSION_DEFAULTS,
  type LogisticRegressionParams,
} from '../engines/linear/logistic-regression.js';
import { defineModel, ENGINE, fromEngine } from './adapter.js';

const schema = z.strictObject({
  /** Inverse of the L2 penalty's strength. */
  C: z.number().positive(),
  fitIntercept: z.boolean(),
  maxIter: z.number().int().positive(),
  tol: z.number().positive(),
}) satisfies z.ZodType<LogisticRegressionParams>;

export default defineModel<z.infer<typeof schema>>({
  id: 'logistic-regression',
  description: 'Logistic regression, multinomial (softmax) with L2, fitted by L-BFGS',
  library: ENGINE,
  params: { ...LOGISTIC_REGRESSION_DEFAULTS },
  schema,
  grid: { C: [0.01, 0.1, 1, 10, 100] },
  // The penalty weighs every coefficient alike: features on one scale, as the optimum assumes.
  preprocess: 'standardize',
  // Up to maxIter evaluations, each two passes over rows x features x weight vectors.
  cost: ({ rows, features, classes, params }) =>
    1e-3 + (params.maxIter * rows * (features + 1) * (classes > 2 ? classes : 1) * 4) / 3e9,
  ...fromEngine(LogisticRegressionClassifier),
});

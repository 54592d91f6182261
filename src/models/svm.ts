import { z } from 'zod';
import { SvcClassifier, SVC_DEFAULTS, type SvcParams } from '../engines/svm/svc.js';
import { defineModel, ENGINE, fromEngine } from './adapter.js';

const schema = z.strictObject({
  C: z.number().positive(),
  /** RBF width, k(x, z) = exp(-gamma |x - z|^2): 'scale' = 1 / (features * variance), 'auto' = 1 / features. */
  gamma: z.union([z.literal('scale'), z.literal('auto'), z.number().positive()]),
  tol: z.number().positive(),
  shrinking: z.boolean(),
  /** Kernel-row cache, MB. */
  cacheSize: z.number().positive(),
  /** Platt sigmoids from an inner 5-fold CV, as libsvm's -b 1 (five more fits per pair). */
  probability: z.boolean(),
  /** Iterations per binary problem; null: libsvm's cap. */
  maxIter: z.number().int().positive().nullable(),
}) satisfies z.ZodType<SvcParams>;

export default defineModel<z.infer<typeof schema>>({
  id: 'svm',
  description:
    "Support vector machine, RBF kernel, one-vs-one, libsvm's SMO (second-order working set, kernel cache, shrinking); probabilities by Platt scaling, fitted on its own training rows (overconfident) unless probability: true",
  library: ENGINE,
  params: { ...SVC_DEFAULTS },
  schema,
  grid: { C: [0.1, 1, 10], gamma: ['scale', 0.01, 0.1] },
  // The kernel needs comparable units: with raw features the widest decides every distance.
  preprocess: 'standardize',
  // SMO touches kernel rows of every pair of rows it optimises: about quadratic in the rows.
  cost: ({ rows, features, params }) => 1e-3 + rows * rows * features * 6e-10 * (params.probability ? 6 : 1),
  ...fromEngine(SvcClassifier),
  // predict() is the one-vs-one vote (as scikit-learn's SVC.predict); the probabilities come from
  // pairwise coupling of Platt sigmoids, whose arg-max can name another class. Without
  // `probability: true` the sigmoids are fitted on the model's own training decision values, so
  // they are overconfident: its log loss and calibration read better than they are.
  predictIsArgmax: false,
});

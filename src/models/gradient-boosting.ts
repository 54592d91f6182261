import { z } from 'zod';
import { HistGradientBoostingClassifier, HIST_GRADIENT_BOOSTING_DEFAULTS } from '../engines/tree/index.js';
import { defineModel, ENGINE, fromEngine } from './adapter.js';

const schema = z.strictObject({
  learningRate: z.number().positive(),
  maxIter: z.number().int().positive(),
  maxLeafNodes: z.number().int().min(2).nullable(),
  maxDepth: z.number().int().positive().nullable(),
  minSamplesLeaf: z.number().int().positive(),
  l2Regularization: z.number().min(0),
  maxBins: z.number().int().min(2).max(255),
  /** 'auto': on with more than 10,000 rows. */
  earlyStopping: z.union([z.literal('auto'), z.boolean()]),
  /** Share of the rows held out to score early stopping; null: the training loss. */
  validationFraction: z.number().gt(0).lt(1).nullable(),
  nIterNoChange: z.number().int().positive(),
  tol: z.number().min(0),
});

export default defineModel<z.infer<typeof schema>>({
  id: 'gradient-boosting',
  description:
    'Histogram gradient boosting: second-order trees grown leaf-wise on binned features, softmax for several classes',
  library: ENGINE,
  params: { ...HIST_GRADIENT_BOOSTING_DEFAULTS },
  schema,
  grid: { learningRate: [0.05, 0.1, 0.2], maxLeafNodes: [15, 31, 63] },
  preprocess: 'none',
  // maxIter rounds of one tree per class (one for two classes), each a pass over rows x features.
  cost: ({ rows, features, classes, params }) =>
    1e-2 + params.maxIter * (classes > 2 ? classes : 1) * rows * features * 2e-9,
  ...fromEngine(HistGradientBoostingClassifier),
});

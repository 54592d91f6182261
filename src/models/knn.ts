import { z } from 'zod';
import { KNeighborsClassifier, KNEIGHBORS_DEFAULTS, type KNeighborsParams } from '../engines/knn/knn.js';
import { defineModel, ENGINE, fromEngine } from './adapter.js';

const schema = z.strictObject({
  nNeighbors: z.number().int().positive(),
  /** 'distance': closer neighbours' votes weigh more (1 / distance). */
  weights: z.enum(['uniform', 'distance']),
}) satisfies z.ZodType<KNeighborsParams>;

export default defineModel<z.infer<typeof schema>>({
  id: 'knn',
  description: 'k-nearest neighbours, Euclidean distance, exact blocked brute-force search',
  library: ENGINE,
  params: { ...KNEIGHBORS_DEFAULTS },
  schema,
  grid: { nNeighbors: [1, 3, 5, 7, 11, 15], weights: ['uniform', 'distance'] },
  // Distances mix every feature's units: without scaling the widest feature decides alone.
  preprocess: 'standardize',
  // Predicting dominates: every test row (about a quarter as many) against every training row.
  cost: ({ rows, features }) => 1e-4 + rows * (rows / 4) * features * 1e-9,
  ...fromEngine(KNeighborsClassifier),
});

import { z } from 'zod';
import {
  GaussianNBClassifier,
  GAUSSIAN_NB_DEFAULTS,
  type GaussianNBParams,
} from '../engines/naive-bayes/gaussian-nb.js';
import { defineModel, ENGINE, fromEngine } from './adapter.js';

const schema = z.strictObject({
  /** Share of the largest feature variance added to every variance (keeps a constant feature defined). */
  varSmoothing: z.number().min(0),
}) satisfies z.ZodType<GaussianNBParams>;

export default defineModel<z.infer<typeof schema>>({
  id: 'naive-bayes',
  description: 'Gaussian naive Bayes with variance smoothing',
  library: ENGINE,
  params: { ...GAUSSIAN_NB_DEFAULTS },
  schema,
  grid: { varSmoothing: [1e-9, 1e-6, 1e-3, 1e-1] },
  preprocess: 'none',
  cost: ({ rows, features, classes }) => 1e-4 + rows * features * classes * 2e-9,
  ...fromEngine(GaussianNBClassifier),
});

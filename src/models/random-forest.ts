import { z } from 'zod';
import { RandomForestClassifier, RANDOM_FOREST_DEFAULTS } from '../engines/tree/index.js';
import { defineModel, ENGINE, forestCost, forestParams, fromEngine } from './adapter.js';

const schema = z.strictObject(forestParams);

export default defineModel<z.infer<typeof schema>>({
  id: 'random-forest',
  description: 'Random forest: bootstrap samples, features drawn at every split, CART trees on feature histograms',
  library: ENGINE,
  params: { ...RANDOM_FOREST_DEFAULTS },
  schema,
  grid: { nEstimators: [100, 300], maxFeatures: ['sqrt', 0.5, null] },
  preprocess: 'none',
  cost: forestCost,
  ...fromEngine(RandomForestClassifier),
});

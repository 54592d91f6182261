import { z } from 'zod';
import { ExtraTreesClassifier, EXTRA_TREES_DEFAULTS } from '../engines/tree/index.js';
import { defineModel, ENGINE, forestCost, forestParams, fromEngine } from './adapter.js';

const schema = z.strictObject(forestParams);

export default defineModel<z.infer<typeof schema>>({
  id: 'extra-trees',
  description: 'Extremely randomized trees: a random threshold per drawn feature at every split, all rows per tree',
  library: ENGINE,
  params: { ...EXTRA_TREES_DEFAULTS },
  schema,
  grid: { nEstimators: [100, 300], maxFeatures: ['sqrt', 0.5, null] },
  preprocess: 'none',
  cost: forestCost,
  ...fromEngine(ExtraTreesClassifier),
});

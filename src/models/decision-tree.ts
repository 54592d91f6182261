import { z } from 'zod';
import { DecisionTreeClassifier, DECISION_TREE_DEFAULTS } from '../engines/tree/index.js';
import { defineModel, ENGINE, fromEngine, treeParams } from './adapter.js';

const schema = z.strictObject(treeParams);

export default defineModel<z.infer<typeof schema>>({
  id: 'decision-tree',
  description:
    'CART decision tree (Gini), split search on feature histograms (exact where a feature has at most 255 values)',
  library: ENGINE,
  params: { ...DECISION_TREE_DEFAULTS },
  schema,
  grid: { maxDepth: [3, 5, 10, null], minSamplesLeaf: [1, 2, 5] },
  preprocess: 'none',
  // Each level reads every row once per feature: rows x features x depth (~ log rows).
  cost: ({ rows, features }) => 1e-3 + rows * features * Math.log2(rows + 2) * 3e-9,
  ...fromEngine(DecisionTreeClassifier),
});

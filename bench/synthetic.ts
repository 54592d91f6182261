import { type Dataset, hashDataset, sharedFloat64, sharedInt32 } from '../src/data/dataset.js';
import { createRandom } from '../src/ml/random.js';

/**
 * A classification data set shaped like scikit-learn's digits (1797 x 64, 10 classes) unless told
 * otherwise: Gaussian clusters around random class centres, overlapping enough that models differ.
 * Generated, never stored.
 */
export function syntheticDataset(rows = 1797, cols = 64, classes = 10, seed = 7): Dataset {
  const random = createRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: classes }, () => Array.from({ length: cols }, () => gaussian() * 1.5));
  const features = sharedFloat64(rows * cols);
  const labels = sharedInt32(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % classes;
    labels[i] = c;
    // Whole numbers 0..16, as digits' pixel intensities: few distinct values per feature.
    for (let j = 0; j < cols; j++) {
      features[i * cols + j] = Math.max(0, Math.min(16, Math.round(8 + 2 * (centres[c]![j]! + gaussian() * 2.5))));
    }
  }
  const featureNames = Array.from({ length: cols }, (_, j) => `f${j}`);
  const classNames = Array.from({ length: classes }, (_, c) => `class-${c}`);
  const parts = { featureNames, classNames, features, labels };
  return { name: `synthetic-${rows}x${cols}`, source: 'generated', rows, cols, ...parts, sha256: hashDataset(parts) };
}

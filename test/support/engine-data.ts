// Rows the engine tests share: scikit-learn's data sets as the fixtures hold them, seeded blobs,
// and the small sets whose scikit-learn outputs the tests quote as reference values.
import { readFileSync } from 'node:fs';
import { fromRows, type Matrix } from '../../src/ml/matrix.js';
import { createRandom } from '../../src/ml/random.js';

/** test/fixtures/sklearn/<name>.csv: features, then the class in the last column. */
export function sklearnFixture(name: string): { X: Matrix; y: Int32Array; classes: number } {
  const lines = readFileSync(new URL(`../fixtures/sklearn/${name}.csv`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const rows = lines.map((l) => l.split(','));
  const names = [...new Set(rows.map((r) => r[r.length - 1]!))].sort();
  return {
    X: fromRows(rows.map((r) => r.slice(0, -1).map(Number))),
    y: Int32Array.from(rows, (r) => names.indexOf(r[r.length - 1]!)),
    classes: names.length,
  };
}

/** Class c's feature j near c * (j + 1) * spread, uniform noise of width `noise`; classes in turn. */
export function blobs(
  n: number,
  cols: number,
  classes: number,
  seed: number,
  spread = 0.7,
  noise = 3,
): { X: Matrix; y: Int32Array } {
  const random = createRandom(seed);
  const data: number[][] = [];
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    y[i] = c;
    data.push(Array.from({ length: cols }, (_, j) => c * (j + 1) * spread + (random() - 0.5) * noise));
  }
  return { X: fromRows(data), y };
}

/** Three classes of three rows, two features: the reference values' training rows. */
export const X3 = [
  [0, 0.5],
  [1, 1.5],
  [0.5, -0.5],
  [3, 3.5],
  [4, 2.5],
  [3.5, 4],
  [-2, 3],
  [-3, 2],
  [-2.5, 4.5],
];
export const y3 = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]);
/** Two classes, eight rows. */
export const X2 = [
  [0, 1],
  [1, 0],
  [2, 2],
  [3, 1],
  [1.5, 1.5],
  [2.5, 0.5],
  [0.5, 2.5],
  [3.5, 3],
];
export const y2 = Int32Array.from([0, 0, 1, 1, 0, 1, 0, 1]);
/** The rows the reference values predict. */
export const Q = fromRows([
  [1, 1],
  [2, 3],
  [-1, 2],
]);

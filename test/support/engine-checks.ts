// Assertions the engine tests share.
import { expect } from 'vitest';

/** Each row of `proba` (rows x classes, row-major) sums to 1, and `labels` names its largest entry. */
export function expectProbaArgmax(proba: Float64Array, labels: ArrayLike<number>, rows: number, classes: number): void {
  for (let i = 0; i < rows; i++) {
    const row = Array.from(proba.subarray(i * classes, (i + 1) * classes));
    expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect(labels[i]).toBe(row.indexOf(Math.max(...row)));
  }
}

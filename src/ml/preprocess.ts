import type { Preprocessing } from './estimator.js';
import { column, type Matrix } from './matrix.js';

/** A fitted feature scaling: x' = (x - offset) / scale, column by column. */
export interface Scaler {
  kind: Preprocessing;
  offset: number[];
  scale: number[];
}

/** Fits on the given rows only (a training part or fold), never on rows it will be scored on. */
export function fitScaler(kind: Preprocessing, X: Matrix): Scaler {
  const offset = new Array<number>(X.cols).fill(0);
  const scale = new Array<number>(X.cols).fill(1);
  if (kind === 'none' || X.rows === 0) return { kind, offset, scale };
  for (let j = 0; j < X.cols; j++) {
    const values = column(X, j);
    if (kind === 'standardize') {
      let sum = 0;
      for (let i = 0; i < values.length; i++) sum += values[i]!;
      const mean = sum / values.length;
      let squares = 0;
      for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
      offset[j] = mean;
      // Population std, as scikit-learn's StandardScaler; a constant column is left unscaled.
      scale[j] = Math.sqrt(squares / values.length) || 1;
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < values.length; i++) {
        min = Math.min(min, values[i]!);
        max = Math.max(max, values[i]!);
      }
      offset[j] = min;
      scale[j] = max - min || 1;
    }
  }
  return { kind, offset, scale };
}

/** Scales the matrix in place (a task's own copy of its rows) and returns it. */
export function applyScaler(scaler: Scaler, X: Matrix): Matrix {
  if (scaler.kind === 'none') return X;
  if (scaler.offset.length !== X.cols)
    throw new Error(`the scaler was fitted on ${scaler.offset.length} features, not ${X.cols}`);
  for (let j = 0; j < X.cols; j++) {
    const values = column(X, j);
    const offset = scaler.offset[j]!;
    const scale = scaler.scale[j]!;
    for (let i = 0; i < values.length; i++) values[i] = (values[i]! - offset) / scale;
  }
  return X;
}

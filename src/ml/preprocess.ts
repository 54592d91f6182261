import type { Features, Preprocessing } from './estimator.js';

/** A fitted feature scaling: x' = (x - offset) / scale, column by column. */
export interface Scaler {
  kind: Preprocessing;
  offset: number[];
  scale: number[];
}

/** Fits on the given rows only (a training part or fold), never on rows it will be scored on. */
export function fitScaler(kind: Preprocessing, X: Features): Scaler {
  const cols = X[0]?.length ?? 0;
  const offset = new Array<number>(cols).fill(0);
  const scale = new Array<number>(cols).fill(1);
  if (kind === 'none' || X.length === 0) return { kind, offset, scale };
  for (let j = 0; j < cols; j++) {
    if (kind === 'standardize') {
      let sum = 0;
      for (const row of X) sum += row[j] as number;
      const mean = sum / X.length;
      let squares = 0;
      for (const row of X) squares += ((row[j] as number) - mean) ** 2;
      offset[j] = mean;
      // Population std, as scikit-learn's StandardScaler; a constant column is left unscaled.
      scale[j] = Math.sqrt(squares / X.length) || 1;
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (const row of X) {
        min = Math.min(min, row[j] as number);
        max = Math.max(max, row[j] as number);
      }
      offset[j] = min;
      scale[j] = max - min || 1;
    }
  }
  return { kind, offset, scale };
}

export function applyScaler(scaler: Scaler, X: Features): Features {
  if (scaler.kind === 'none') return X;
  return X.map((row) => row.map((v, j) => (v - (scaler.offset[j] as number)) / (scaler.scale[j] as number)));
}

// The feature matrix estimators see: one task's rows, column-major, on one Float64Array. Column-
// major because every hot loop here walks a feature at a time (split search, scaling, gradient
// sums), and a column is then one contiguous run of memory.

/** `values[j * rows + i]` is feature `j` of row `i`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
}

export function matrix(rows: number, cols: number, values = new Float64Array(rows * cols)): Matrix {
  if (values.length !== rows * cols)
    throw new Error(`a ${rows} x ${cols} matrix needs ${rows * cols} values, not ${values.length}`);
  return { rows, cols, values };
}

/** Feature `j` of every row, as a view (no copy). */
export function column(X: Matrix, j: number): Float64Array {
  return X.values.subarray(j * X.rows, (j + 1) * X.rows);
}

/**
 * The given rows of a row-major table (`cols` values per row), copied into a new column-major
 * matrix: the one copy a task makes of its data.
 */
export function gatherRows(source: Float64Array, cols: number, indices: ArrayLike<number>): Matrix {
  const rows = indices.length;
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const from = indices[i]! * cols;
    for (let j = 0, to = i; j < cols; j++, to += rows) values[to] = source[from + j]!;
  }
  return { rows, cols, values };
}

/** A matrix from plain rows (every row as long as the first). */
export function fromRows(data: readonly (readonly number[])[]): Matrix {
  const rows = data.length;
  const cols = data[0]?.length ?? 0;
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = data[i]!;
    if (row.length !== cols) throw new Error(`row ${i} has ${row.length} values, row 0 has ${cols}`);
    for (let j = 0; j < cols; j++) values[j * rows + i] = row[j]!;
  }
  return { rows, cols, values };
}

/** The matrix as plain rows, for libraries that take `number[][]`. */
export function toRows(X: Matrix): number[][] {
  const out = new Array<number[]>(X.rows);
  for (let i = 0; i < X.rows; i++) {
    const row = new Array<number>(X.cols);
    for (let j = 0, at = i; j < X.cols; j++, at += X.rows) row[j] = X.values[at]!;
    out[i] = row;
  }
  return out;
}

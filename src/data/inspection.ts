// What `npm run inspect` reports about a data set: plain data, formatted in src/format/inspect.ts.
import { classCounts } from './dataset.js';
import { DELIMITERS } from './csv.js';
import type { FetchInfo } from './fetch.js';
import type { LoadedDataset } from './load.js';
import type { MissingCell } from './table.js';

export interface InspectedColumn {
  name: string;
  type: 'number' | 'one-hot' | 'label' | 'empty';
  missing: number;
  min?: number;
  max?: number;
  categories?: string[];
}

export interface Inspection {
  name: string;
  /** The file as named on the command line; absent for a built-in data set. */
  file?: string;
  source: string;
  rows: number;
  /** Features after one-hot encoding. */
  features: number;
  label: string;
  delimiter?: string;
  sha256: string;
  columns: InspectedColumn[];
  classes: { name: string; rows: number }[];
  missing: { cells: number; rows: number; first: MissingCell[] };
  /** Records read by the fast path and by csv-parse. */
  records?: { fast: number; csvParse: number };
  readMs: number;
  /** How a download was fetched (absent for local data). */
  fetch?: FetchInfo;
  /** What would stop `npm run train` on this data as it is. */
  problems: string[];
}

/** Summarizes a data set loaded with its missing cells kept. */
export function inspect(loaded: LoadedDataset): Inspection {
  const { dataset, encoding, table } = loaded;
  const byName = new Map(table?.columns.map((c) => [c.name, c]) ?? []);
  // One row-major pass for every column's range: a pass per column would read the matrix again
  // for each.
  const { features, rows, cols } = dataset;
  const mins = new Float64Array(cols).fill(Infinity);
  const maxs = new Float64Array(cols).fill(-Infinity);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++, i++) {
      const v = features[i]!;
      if (v < mins[j]!) mins[j] = v;
      if (v > maxs[j]!) maxs[j] = v;
    }
  }
  const columns: InspectedColumn[] = [];
  let at = 0;
  for (const column of encoding.columns) {
    const summary = byName.get(column.name);
    if (column.type === 'one-hot') {
      columns.push({
        name: column.name,
        type: 'one-hot',
        missing: summary?.missing ?? 0,
        categories: column.categories,
      });
      at += column.categories.length;
      continue;
    }
    const min = mins[at]!;
    const max = maxs[at]!;
    columns.push({
      name: column.name,
      type: summary?.type === 'empty' ? 'empty' : 'number',
      missing: summary?.missing ?? 0,
      ...(min <= max ? { min, max } : {}),
    });
    at += 1;
  }
  // The label in its place among the file's columns.
  const labelAt = table ? table.columns.findIndex((c) => c.type === 'label') : columns.length;
  columns.splice(labelAt, 0, {
    name: encoding.label,
    type: 'label',
    missing: byName.get(encoding.label)?.missing ?? 0,
  });

  const counts = classCounts(dataset);
  const missing = {
    cells: table?.missingCount ?? 0,
    rows: table?.rowsWithMissing ?? 0,
    first: table?.missingCells.slice(0, 10) ?? [],
  };
  const problems: string[] = [];
  if (missing.cells > 0) {
    problems.push(
      `${missing.cells} missing cell${missing.cells === 1 ? '' : 's'} in ${missing.rows} row${missing.rows === 1 ? '' : 's'}: train stops on them unless --missing drop, which drops those rows`,
    );
  }
  if (dataset.classNames.length < 2) {
    problems.push(
      `${dataset.classNames.length === 0 ? 'no class' : 'only one class'} in "${encoding.label}": classification needs at least two`,
    );
  }
  return {
    name: dataset.name,
    ...(loaded.spec.file ? { file: loaded.spec.file } : {}),
    source: dataset.source,
    rows: dataset.rows,
    features: dataset.cols,
    label: encoding.label,
    ...(table?.delimiter !== undefined ? { delimiter: DELIMITERS[table.delimiter] ?? table.delimiter } : {}),
    sha256: dataset.sha256,
    columns,
    classes: dataset.classNames.map((name, i) => ({ name, rows: counts[i]! })),
    missing,
    ...(table?.recordsFast !== undefined
      ? { records: { fast: table.recordsFast, csvParse: table.recordsCsvParse ?? 0 } }
      : {}),
    ...(loaded.fetch ? { fetch: loaded.fetch } : {}),
    readMs: loaded.readMs,
    problems,
  };
}

// Turns the cells of a data file, record by record, into a Dataset: numbers straight into one
// row-major Float64Array on shared memory, text columns into category ids (one-hot encoded at the
// end), labels into class indices. Every rule about cell values lives here, so that every parse
// path (the byte-level fast path, csv-parse) applies the same ones and says the same things.
import { UsageError } from '../errors.js';
import { type Dataset, hashDataset } from './dataset.js';
import { isMissingText, parseNumberText } from './number.js';

export type MissingPolicy = 'error' | 'drop' | 'keep';

/** How one input column becomes features: a number as is, or text one-hot encoded. */
export type ColumnEncoding = { name: string; type: 'number' } | { name: string; type: 'one-hot'; categories: string[] };

/** What a run needs to read new rows exactly as it read its training data. */
export interface DatasetEncoding {
  label: string;
  columns: ColumnEncoding[];
}

/** What a field of a record is. Fields start UNKNOWN and become NUMERIC or TEXT at their first value. */
export const UNKNOWN = 0;
export const NUMERIC = 1;
export const TEXT = 2;
export const LABEL = 3;
export const SKIP = 4;

export interface MissingCell {
  line: number;
  column: string;
}

export interface TableOptions {
  /** The file as the user named it, for messages. */
  file: string;
  header: string[];
  /** Field index of the label (training and inspecting). */
  labelField: number;
  missing: MissingPolicy;
  /** Prediction: the run's columns, matched by name; the label, if present, is ignored. */
  schema?: DatasetEncoding;
  /** Upper bound on the number of records, which sizes the shared buffers' reservation. */
  maxRows: number;
}

export interface ColumnSummary {
  name: string;
  type: 'number' | 'one-hot' | 'label' | 'empty' | 'ignored';
  missing: number;
  /** Categories of a one-hot column, sorted. */
  categories?: string[];
}

export interface Table {
  dataset: Dataset;
  encoding: DatasetEncoding;
  droppedRows: number;
  /** Per input column, in file order (for `inspect`). */
  columns: ColumnSummary[];
  /** Missing cells when they were kept (`inspect`): the count, the rows they are in, the first few. */
  missingCount: number;
  rowsWithMissing: number;
  missingCells: MissingCell[];
}

interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(byteLength: number): void;
  readonly maxByteLength: number;
}

/**
 * A SharedArrayBuffer that reserves address space for the worst case but commits memory only as
 * it grows, so a loader that does not know the row count ahead never copies what it has read.
 */
function growableShared(maxByteLength: number): GrowableSharedArrayBuffer {
  const Ctor = SharedArrayBuffer as unknown as new (
    length: number,
    options: { maxByteLength: number },
  ) => GrowableSharedArrayBuffer;
  try {
    return new Ctor(0, { maxByteLength: Math.max(8, maxByteLength) });
  } catch {
    throw new UsageError(`the data would need ${(maxByteLength / 2 ** 30).toFixed(1)} GiB of memory; too large`);
  }
}

const GROW_BYTES = 8 * 2 ** 20;
const SHOWN_MISSING = 5;
const KEPT_MISSING = 1000;

/** A cell value as it appears in a message: quoted, escaped, cut short. */
export function showValue(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Numbers in numeric order when every name is a number, else in code-unit order. */
export function sortNames(names: string[]): string[] {
  const numeric = names.every((n) => parseNumberText(n) !== undefined);
  return [...names].sort((a, b) =>
    numeric ? parseNumberText(a)! - parseNumberText(b)! || (a < b ? -1 : 1) : a < b ? -1 : a > b ? 1 : 0,
  );
}

export class TableBuilder {
  /** Per field: UNKNOWN, NUMERIC, TEXT, LABEL or SKIP. Read by the fast path. */
  readonly kind: Uint8Array;
  /** Per field: its position among the row's values (-1 for the label and skipped fields). */
  readonly slot: Int32Array;
  readonly fields: number;
  /** The file as the user named it, for messages. */
  readonly file: string;
  /** Values per row before one-hot encoding. */
  readonly width: number;
  /** Row-major values of the rows so far; re-created as the buffer grows. */
  values: Float64Array;
  labels: Int32Array;
  rows = 0;
  /** Records read, kept or dropped. */
  records = 0;
  /** Records with at least one missing cell. */
  recordsWithMissing = 0;
  /** Offset of the current row in `values`. */
  base = 0;
  line = 0;

  private readonly valueBuffer: GrowableSharedArrayBuffer;
  private readonly labelBuffer: GrowableSharedArrayBuffer;
  private capacity = 0;
  private readonly names: string[];
  private readonly first: { line: number; value: string }[];
  private readonly categories: (Map<string, number> | undefined)[];
  private readonly fixed: boolean;
  private readonly classIds = new Map<string, number>();
  private readonly classNames: string[] = [];
  private readonly missingPerField: number[];
  private rowMissing = false;
  private missingCount = 0;
  private readonly missingCells: MissingCell[] = [];
  private droppedRows = 0;

  constructor(private readonly options: TableOptions) {
    const { header, schema } = options;
    this.fields = header.length;
    this.file = options.file;
    this.names = header;
    this.kind = new Uint8Array(this.fields);
    this.slot = new Int32Array(this.fields).fill(-1);
    this.first = header.map(() => ({ line: 0, value: '' }));
    this.missingPerField = header.map(() => 0);
    this.fixed = schema !== undefined;
    if (schema) {
      this.width = schema.columns.length;
      this.categories = schema.columns.map((c) =>
        c.type === 'one-hot' ? new Map(c.categories.map((name, i) => [name, i])) : undefined,
      );
      const position = new Map(header.map((name, i) => [name, i]));
      const absent = schema.columns.filter((c) => !position.has(c.name)).map((c) => `"${c.name}"`);
      if (absent.length > 0) {
        throw new UsageError(
          `${options.file}:1: no column ${absent.join(', ')}; the model was trained on columns ${schema.columns.map((c) => `"${c.name}"`).join(', ')}`,
        );
      }
      this.kind.fill(SKIP);
      schema.columns.forEach((c, s) => {
        const field = position.get(c.name)!;
        this.kind[field] = c.type === 'number' ? NUMERIC : TEXT;
        this.slot[field] = s;
      });
    } else {
      let s = 0;
      for (let f = 0; f < this.fields; f++) {
        if (f === options.labelField) this.kind[f] = LABEL;
        else this.slot[f] = s++;
      }
      this.width = s;
      this.categories = new Array<undefined>(this.width).fill(undefined);
    }
    const rows = Math.max(1, options.maxRows);
    this.valueBuffer = growableShared(rows * this.width * 8);
    this.labelBuffer = growableShared(rows * 4);
    this.values = new Float64Array(this.valueBuffer);
    this.labels = new Int32Array(this.labelBuffer);
  }

  private grow(): void {
    const rowBytes = Math.max(1, this.width * 8);
    const bytes = Math.min(
      this.valueBuffer.maxByteLength,
      Math.max(this.valueBuffer.byteLength + GROW_BYTES, Math.ceil(this.valueBuffer.byteLength * 1.25)),
    );
    const rows = Math.min(Math.floor(bytes / rowBytes), Math.floor(this.labelBuffer.maxByteLength / 4));
    if (rows <= this.capacity) throw new Error('table: more records than the file size allows');
    this.valueBuffer.grow(rows * this.width * 8);
    this.labelBuffer.grow(rows * 4);
    this.capacity = rows;
    this.values = new Float64Array(this.valueBuffer, 0, rows * this.width);
    this.labels = new Int32Array(this.labelBuffer, 0, rows);
  }

  /** Starts a record that begins on the given line of the file. */
  beginRow(line: number): void {
    if (this.rows === this.capacity) this.grow();
    this.line = line;
    this.base = this.rows * this.width;
    this.rowMissing = false;
  }

  endRow(): void {
    this.records += 1;
    if (this.rowMissing) this.recordsWithMissing += 1;
    if (this.rowMissing && this.options.missing === 'drop') this.droppedRows += 1;
    else this.rows += 1;
  }

  /** A numeric field's first number, met by the fast path. */
  markNumeric(field: number, text: string): void {
    this.kind[field] = NUMERIC;
    this.first[field] = { line: this.line, value: text };
  }

  fieldCountError(found: number): UsageError {
    const { file, header } = this.options;
    return new UsageError(
      `${file}:${this.line}: ${found} field${found === 1 ? '' : 's'}, but the header has ${header.length} columns; ${
        found < header.length
          ? `the row is missing ${header.length - found} (a value with no delimiter after it?)`
          : 'a value holds the delimiter (quote it) or a delimiter is left over'
      }`,
    );
  }

  private missingCell(field: number): void {
    const name = this.names[field]!;
    this.rowMissing = true;
    this.missingCount += 1;
    this.missingPerField[field]! += 1;
    if (this.missingCells.length < KEPT_MISSING) this.missingCells.push({ line: this.line, column: name });
  }

  private where(field: number): string {
    return `${this.options.file}:${this.line}: column "${this.names[field]!}"`;
  }

  /** Any field given as text: decides missing, number, category or label and stores it. */
  text(field: number, text: string): void {
    const kind = this.kind[field]!;
    if (kind === SKIP) return;
    if (isMissingText(text)) {
      if (kind === LABEL && this.options.missing === 'error') {
        throw new UsageError(
          `${this.where(field)}: the label is ${text.trim() === '' ? 'empty' : showValue(text)}; every row needs a class (or pass --missing drop to drop such rows)`,
        );
      }
      if (this.fixed && this.options.missing !== 'keep') {
        throw new UsageError(
          `${this.where(field)}: missing value (${showValue(text)}); a model needs every feature to predict`,
        );
      }
      this.missingCell(field);
      if (kind === LABEL) this.labels[this.rows] = -1;
      else this.values[this.base + this.slot[field]!] = NaN;
      return;
    }
    if (kind === LABEL) {
      let id = this.classIds.get(text);
      if (id === undefined) {
        id = this.classNames.length;
        this.classIds.set(text, id);
        this.classNames.push(text);
      }
      this.labels[this.rows] = id;
      return;
    }
    const slot = this.slot[field]!;
    if (kind === TEXT) {
      const categories = this.categories[slot]!;
      let id = categories.get(text);
      if (id === undefined) {
        if (this.fixed) {
          throw new UsageError(
            `${this.where(field)}: ${showValue(text)} was not seen in training; known values: ${[...categories.keys()].map(showValue).join(', ')}`,
          );
        }
        if (parseNumberText(text) !== undefined) {
          const first = this.first[field]!;
          throw new UsageError(
            `${this.where(field)}: ${showValue(text)} is a number, but the column's first value, ${showValue(first.value)} on line ${first.line}, is text; a column must hold only numbers or only text`,
          );
        }
        id = categories.size;
        categories.set(text, id);
      }
      this.values[this.base + slot] = id;
      return;
    }
    const value = parseNumberText(text);
    if (value !== undefined) {
      if (kind === UNKNOWN) this.markNumeric(field, text);
      this.values[this.base + slot] = value;
      return;
    }
    if (kind === NUMERIC) {
      const first = this.first[field]!;
      throw new UsageError(
        `${this.where(field)}: ${showValue(text)} is not a number${
          this.fixed ? '' : ` (the column is numeric from line ${first.line}, ${showValue(first.value)})`
        }`,
      );
    }
    // The first value of a column decides: text makes it a categorical column. A decimal comma
    // would silently turn a numeric column into categories, so it is refused.
    if (/^\s*[+-]?\d+,\d+\s*$/.test(text)) {
      throw new UsageError(
        `${this.where(field)}: ${showValue(text)} has a decimal comma; numbers must use a decimal point (1.5)`,
      );
    }
    this.kind[field] = TEXT;
    this.first[field] = { line: this.line, value: text };
    this.categories[slot] = new Map([[text, 0]]);
    this.values[this.base + slot] = 0;
  }

  /** Validates what was read and builds the Dataset: one-hot encoding, sorted classes, hash. */
  finish(name: string, source: string): Table {
    const { file, missing } = this.options;
    if (this.rows === 0) {
      throw new UsageError(
        this.droppedRows > 0
          ? `${file}: every one of its ${this.droppedRows} rows has a missing value; --missing drop left nothing to train on`
          : `${file}: the header has no data rows below it`,
      );
    }
    if (this.missingCount > 0 && missing === 'error') {
      const shown = this.missingCells
        .slice(0, SHOWN_MISSING)
        .map((c) => `line ${c.line} column "${c.column}"`)
        .join(', ');
      const more = this.missingCount - Math.min(SHOWN_MISSING, this.missingCount);
      throw new UsageError(
        `${file}:${this.missingCells[0]!.line}: ${this.missingCount} missing value${this.missingCount === 1 ? '' : 's'} (empty, NaN or nan): ${shown}${more > 0 ? ` and ${more} more` : ''}; fill them in, or pass --missing drop to drop those rows`,
      );
    }
    const rows = this.rows;
    const labels = new Int32Array(this.labelBuffer, 0, rows);
    const values = new Float64Array(this.valueBuffer, 0, rows * this.width);

    // Classes: those the kept rows use, sorted, so class indices do not depend on row order.
    let classNames: string[] = [];
    if (!this.fixed) {
      const used = new Uint8Array(this.classNames.length);
      for (let r = 0; r < rows; r++) if (labels[r]! >= 0) used[labels[r]!] = 1;
      classNames = sortNames(this.classNames.filter((_, id) => used[id] === 1));
      const index = new Map(classNames.map((n, i) => [n, i]));
      const remap = this.classNames.map((n) => index.get(n) ?? -1);
      for (let r = 0; r < rows; r++) if (labels[r]! >= 0) labels[r] = remap[labels[r]!]!;
      if (classNames.length < 2 && missing !== 'keep') {
        const label = this.names[this.options.labelField]!;
        throw new UsageError(
          classNames.length === 0
            ? `${file}: column "${label}" holds no labels`
            : `${file}: column "${label}", the label, holds only one class (${showValue(classNames[0]!)}); classification needs at least two (pick another column with --label?)`,
        );
      }
    }

    // One-hot encoding of text columns, in place of the column, categories sorted.
    const columns: ColumnEncoding[] = [];
    const slotField: number[] = [];
    for (let f = 0; f < this.fields; f++) if (this.slot[f]! >= 0) slotField[this.slot[f]!] = f;
    const sortedCategories: (string[] | undefined)[] = [];
    for (let s = 0; s < this.width; s++) {
      const field = slotField[s]!;
      const name = this.names[field]!;
      const categories = this.categories[s];
      if (this.kind[field] === TEXT && categories) {
        if (this.fixed) {
          sortedCategories[s] = [...categories.keys()];
        } else {
          const used = new Uint8Array(categories.size);
          for (let r = 0; r < rows; r++) {
            const v = values[r * this.width + s]!;
            if (v === v) used[v] = 1;
          }
          sortedCategories[s] = sortNames([...categories.keys()].filter((_, id) => used[id] === 1));
        }
        columns.push({ name, type: 'one-hot', categories: sortedCategories[s]! });
      } else {
        columns.push({ name, type: 'number' });
      }
    }
    const featureNames = columns.flatMap((c) =>
      c.type === 'number' ? [c.name] : c.categories.map((v) => `${c.name}=${v}`),
    );
    let features: Float64Array = values;
    if (featureNames.length !== this.width) {
      features = new Float64Array(new SharedArrayBuffer(rows * featureNames.length * 8));
      const offsets: number[] = [];
      const remaps: (number[] | undefined)[] = [];
      let at = 0;
      columns.forEach((c, s) => {
        offsets[s] = at;
        if (c.type === 'one-hot') {
          const index = new Map(c.categories.map((v, i) => [v, i]));
          remaps[s] = [...this.categories[s]!.keys()].map((v) => index.get(v) ?? -1);
          at += c.categories.length;
        } else at += 1;
      });
      offsets[this.width] = at;
      const out = featureNames.length;
      for (let r = 0; r < rows; r++) {
        for (let s = 0; s < this.width; s++) {
          const v = values[r * this.width + s]!;
          const remap = remaps[s];
          if (!remap) features[r * out + offsets[s]!] = v;
          else if (v !== v) features.fill(NaN, r * out + offsets[s]!, r * out + offsets[s + 1]!);
          else features[r * out + offsets[s]! + remap[v]!] = 1;
        }
      }
    }

    const label = this.fixed ? this.options.schema!.label : this.names[this.options.labelField]!;
    const parts = { featureNames, classNames, features, labels };
    const summaries: ColumnSummary[] = this.names.map((n, f) => {
      const kind = this.kind[f]!;
      const s = this.slot[f]!;
      const type: ColumnSummary['type'] =
        kind === LABEL
          ? 'label'
          : kind === SKIP
            ? 'ignored'
            : kind === TEXT
              ? 'one-hot'
              : kind === NUMERIC
                ? 'number'
                : 'empty';
      return {
        name: n,
        type,
        missing: this.missingPerField[f]!,
        ...(type === 'one-hot' ? { categories: sortedCategories[s]! } : {}),
      };
    });
    return {
      dataset: {
        name,
        source,
        rows,
        cols: featureNames.length,
        ...parts,
        sha256: hashDataset(parts),
      },
      encoding: { label, columns },
      droppedRows: this.droppedRows,
      columns: summaries,
      missingCount: this.missingCount,
      rowsWithMissing: this.recordsWithMissing,
      missingCells: this.missingCells,
    };
  }
}

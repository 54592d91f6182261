// Turns the cells of a data file, record by record, into a Dataset: numbers straight into one
// row-major Float64Array on shared memory, text columns into category ids (one-hot encoded at the
// end), labels into class indices. Every rule about cell values lives here, so that every parse
// path (the byte-level fast path, csv-parse) applies the same ones and says the same things.
import { totalmem } from 'node:os';
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
  /** Most distinct values a text column may have (default MAX_CATEGORIES). */
  maxCategories?: number;
  /**
   * Per field, a type the file declares (ARFF's numeric, nominal and string): a declared text
   * column may hold values that look like numbers. Undefined: decided by the first value.
   */
  declared?: readonly ('number' | 'text' | 'ignore' | undefined)[];
  /** Rows are numbered as records (JSON) rather than lines in messages. */
  records?: boolean;
}

/**
 * Most distinct values of a text column by default: one-hot encoding makes a feature of each, so
 * an id or free-text column (a value per row) would ask for a rows x rows matrix.
 */
export const MAX_CATEGORIES = 1000;

/** The longest byte view V8 makes of a buffer (the data set's hash reads its features as bytes). */
const MAX_TYPED_BYTES = 2 ** 32 - 1;

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
/** The largest maxByteLength V8 accepts for a growable SharedArrayBuffer. */
const MAX_GROWABLE_BYTES = 2 ** 32;
const SHOWN_MISSING = 5;
const KEPT_MISSING = 1000;

/** A cell value as it appears in a message: quoted, escaped, cut short. */
export function showValue(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * Refuses a header with an unnamed or repeated column; `where` is the header's place in the
 * file (`file:line`).
 */
export function checkColumnNames(names: readonly string[], where: string): void {
  // One pass with a map of names seen: a header can have 100,000 columns.
  const seen = new Map<string, number>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (name === '') {
      throw new UsageError(
        `${where}: column ${i + 1} has no name in the header${i === 0 ? ' (a row index written by pandas? drop it, or name it and pick the label with --label)' : ''}`,
      );
    }
    const twin = seen.get(name);
    if (twin !== undefined) {
      throw new UsageError(
        `${where}: column "${name}" appears twice in the header (columns ${twin + 1} and ${i + 1}); column names must be unique`,
      );
    }
    seen.set(name, i);
  }
}

/** The first few items of a list, and how many more. */
function shownList(items: string[], shown = 20): string {
  return items.length <= shown
    ? items.join(', ')
    : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
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
  private readonly maxCategories: number;

  constructor(private readonly options: TableOptions) {
    const { header, schema } = options;
    this.maxCategories = options.maxCategories ?? MAX_CATEGORIES;
    this.fields = header.length;
    this.file = options.file;
    this.names = header;
    this.kind = new Uint8Array(this.fields);
    this.slot = new Int32Array(this.fields).fill(-1);
    this.first = header.map(() => ({ line: 0, value: '' }));
    this.missingPerField = header.map(() => 0);
    this.fixed = schema !== undefined;
    if (schema) {
      // A run's recorded encoding sizes the matrix as much as a file does.
      for (const c of schema.columns) {
        if (c.type === 'one-hot' && c.categories.length > this.maxCategories) {
          throw new UsageError(
            `${options.file}: the run encodes column "${c.name}" as ${c.categories.length} categories, more than ${this.maxCategories}; if that is right, raise --max-categories`,
          );
        }
      }
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
      const declared = options.declared ?? [];
      for (let f = 0; f < this.fields; f++) {
        if (f === options.labelField) this.kind[f] = LABEL;
        else if (declared[f] === 'ignore') this.kind[f] = SKIP;
        else this.slot[f] = s++;
      }
      this.width = s;
      this.categories = new Array<Map<string, number> | undefined>(this.width).fill(undefined);
      for (let f = 0; f < this.fields; f++) {
        if (f === options.labelField || this.slot[f]! < 0) continue;
        if (declared[f] === 'number') this.kind[f] = NUMERIC;
        if (declared[f] === 'text') {
          this.kind[f] = TEXT;
          this.categories[this.slot[f]!] = new Map();
        }
      }
    }
    // A stream's bound (a download limit, not its size) can ask for more than the largest
    // growable buffer; the reservation stops there, and data beyond it is refused in grow().
    const rows = Math.max(1, Math.min(options.maxRows, Math.floor(MAX_GROWABLE_BYTES / Math.max(8, this.width * 8))));
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
    if (rows <= this.capacity) {
      throw new UsageError(
        `${this.options.file}: more than ${this.capacity} rows of ${this.width} values; too large to hold in memory at once`,
      );
    }
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

  /** Where the current row is: `file:line`, or `file: record n` for JSON records. */
  at(line = this.line): string {
    return this.options.records ? `${this.options.file}: record ${line}` : `${this.options.file}:${line}`;
  }

  private where(field: number): string {
    return `${this.at()}: ${this.options.records ? 'key' : 'column'} "${this.names[field]!}"`;
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
            `${this.where(field)}: ${showValue(text)} was not seen in training; known values: ${shownList([...categories.keys()].map(showValue))}`,
          );
        }
        if (parseNumberText(text) !== undefined && !this.options.declared?.[field]) {
          const first = this.first[field]!;
          throw new UsageError(
            `${this.where(field)}: ${showValue(text)} is a number, but the column's first value, ${showValue(first.value)} on line ${first.line}, is text; a column must hold only numbers or only text`,
          );
        }
        if (categories.size >= this.maxCategories) {
          throw new UsageError(
            `${this.where(field)}: more than ${this.maxCategories} distinct values (${showValue(text)} is the ${ordinal(this.maxCategories + 1)}); one-hot encoding makes a feature of each value: drop the column (an id or free text?) or raise --max-categories`,
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
          this.fixed
            ? ''
            : this.options.declared?.[field] === 'number'
              ? ' (the column is declared numeric)'
              : ` (the column is numeric from ${this.options.records ? 'record' : 'line'} ${first.line}, ${showValue(first.value)})`
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

  /** The one-hot encoded matrix, zeroed; too large to allocate is a UsageError saying why. */
  private oneHotMatrix(rows: number, cols: number, columns: ColumnEncoding[]): Float64Array {
    const bytes = rows * cols * 8;
    try {
      // Memory is committed as it is touched, so an allocation far beyond the machine's memory
      // can succeed and fail later, in training: the bound is checked first.
      if (bytes <= Math.min(totalmem() / 2, MAX_TYPED_BYTES)) return new Float64Array(new SharedArrayBuffer(bytes));
      throw new RangeError('too large');
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      const widest = columns.reduce<ColumnEncoding | undefined>(
        (a, c) =>
          c.type === 'one-hot' && (a?.type !== 'one-hot' || c.categories.length > a.categories.length) ? c : a,
        undefined,
      );
      const which =
        widest?.type === 'one-hot' ? `"${widest.name}" (${widest.categories.length} values)` : 'its text columns';
      throw new UsageError(
        `${this.options.file}: one-hot encoding ${which} makes ${rows.toLocaleString('en-US')} rows x ${cols.toLocaleString('en-US')} features, ${(bytes / 2 ** 30).toFixed(1)} GiB; too large: drop the column or lower --max-categories`,
      );
    }
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
        .map((c) =>
          this.options.records ? `record ${c.line} key "${c.column}"` : `line ${c.line} column "${c.column}"`,
        )
        .join(', ');
      const more = this.missingCount - Math.min(SHOWN_MISSING, this.missingCount);
      throw new UsageError(
        `${this.at(this.missingCells[0]!.line)}: ${this.missingCount} missing value${this.missingCount === 1 ? '' : 's'} (empty, NaN or nan): ${shown}${more > 0 ? ` and ${more} more` : ''}; fill them in, or pass --missing drop to drop those rows`,
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
      features = this.oneHotMatrix(rows, featureNames.length, columns);
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

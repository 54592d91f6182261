// Reads a CSV file into a Table, streaming it in chunks with async I/O.
//
// csv-parse defines the grammar and reads the header, every quoted record and any file whose
// records end in a bare CR. It costs ~6x pandas' time per byte, though, so records with no quote
// character in them (where RFC 4180 leaves nothing to interpret: fields are the bytes between
// delimiters) take a fast path that parses numbers straight from the bytes into the shared
// Float64Array without making a string per cell. The first quote in the file hands the rest of
// the file to csv-parse. test/csv-paths.test.ts checks that both paths read every fixture alike.
import { Readable } from 'node:stream';
import { CsvError, parse as csvParse } from 'csv-parse';
import { parse as csvParseSync } from 'csv-parse/sync';
import { UsageError } from '../errors.js';
import { type ByteSource, decodeUtf8, fileSource, firstInvalidUtf8, invalidUtf8 } from './bytes.js';
import { openRegularFile } from './files.js';
import { POW10 } from './number.js';
import {
  type DatasetEncoding,
  LABEL,
  type MissingPolicy,
  NUMERIC,
  SKIP,
  type Table,
  TableBuilder,
  TEXT,
  UNKNOWN,
  checkColumnNames,
  showValue,
} from './table.js';

/** Longest record accepted: far above any real data set's, low enough to stop a runaway file. */
export const MAX_LINE_BYTES = 2 ** 20;
const CHUNK_BYTES = 4 * 2 ** 20;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const UPPER_E = 69;
const LOWER_E = 101;

export const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

export interface CsvOptions {
  /** The label column's name (default: the last column). */
  label?: string;
  /** The field delimiter (default: detected among comma, semicolon and tab). */
  delimiter?: string;
  missing: MissingPolicy;
  /** Prediction: read the columns a run was trained on, by name. */
  schema?: DatasetEncoding;
  /** Most distinct values of a text column (default: table.ts's MAX_CATEGORIES). */
  maxCategories?: number;
  /** 'csv-parse' reads every record with csv-parse, never the fast path (to compare the two). */
  parser?: 'auto' | 'csv-parse';
}

export interface CsvTable extends Table {
  delimiter: string;
  /** Records read by the fast path and by csv-parse. */
  recordsFast: number;
  recordsCsvParse: number;
}

/** Reads a source in chunks into one buffer that always has room for the longest record. */
class ChunkReader {
  readonly buf = Buffer.allocUnsafe(CHUNK_BYTES + MAX_LINE_BYTES + 1);
  start = 0;
  end = 0;
  eof = false;

  constructor(private readonly source: ByteSource) {}

  /** Moves the unread bytes to the front and reads until the buffer is full or the data ends. */
  async fill(): Promise<void> {
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    while (!this.eof && this.end < this.buf.length - 1) {
      const bytesRead = await this.source.read(this.buf, this.end, this.buf.length - 1 - this.end);
      if (bytesRead === 0) this.eof = true;
      this.end += bytesRead;
    }
  }

  /** The unread bytes, then the rest of the data, as fresh buffers (csv-parse keeps references). */
  async *rest(): AsyncGenerator<Buffer> {
    if (this.end > this.start) yield Buffer.from(this.buf.subarray(this.start, this.end));
    this.start = this.end;
    while (!this.eof) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const bytesRead = await this.source.read(chunk, 0, CHUNK_BYTES);
      if (bytesRead === 0) this.eof = true;
      else yield chunk.subarray(0, bytesRead);
    }
  }
}

/**
 * The error for bad bytes at `bad` in an unquoted line starting at `lineStart`: which field they
 * are in, counted by delimiters, named by `column`.
 */
function utf8Error(
  buf: Uint8Array,
  lineStart: number,
  bad: number,
  delimiter: number,
  at: string,
  column: (field: number) => string,
): UsageError {
  let field = 0;
  let fieldStart = lineStart;
  for (let i = lineStart; i < bad; i++) {
    if (buf[i] === delimiter) {
      field += 1;
      fieldStart = i + 1;
    }
  }
  return new UsageError(`${at}${column(field)}: ${invalidUtf8(buf, bad, fieldStart)}`);
}

function longRecord(file: string, line: number): string {
  return `${file}:${line}: a record longer than ${MAX_LINE_BYTES / 2 ** 20} MiB starts on this line; is a quote left open, or the delimiter or line ending wrong?`;
}

function csvErrorMessage(error: CsvError, file: string, line: number): string {
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return longRecord(file, line);
    case 'CSV_QUOTE_NOT_CLOSED':
      return `${file}:${line}: a quote opened in the record starting here is never closed`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `${file}:${line}: a closing quote is followed by more text; quote the whole value and double any quote inside it ("")`;
    case 'INVALID_OPENING_QUOTE':
      return `${file}:${line}: a quote in the middle of an unquoted value; quote the whole value and double any quote inside it ("")`;
    default:
      return `${file}:${line}: ${error.message}`;
  }
}

interface Header {
  names: string[];
  delimiter: string;
  /** Byte offset of the first data record. */
  bodyStart: number;
  /** Line number of the first data record. */
  bodyLine: number;
  /** Whether records end in LF or CRLF (the fast path's condition) rather than a bare CR. */
  lf: boolean;
}

function parseHeader(bytes: Buffer, file: string, wanted: string | undefined): Header {
  const candidates = wanted !== undefined ? [wanted] : Object.keys(DELIMITERS);
  let best: { names: string[]; delimiter: string; info: { lines: number; bytes: number } } | undefined;
  let firstError: unknown;
  for (const delimiter of candidates) {
    try {
      const [first] = csvParseSync(bytes, {
        delimiter,
        to: 1,
        info: true,
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
        max_record_size: MAX_LINE_BYTES,
        record_delimiter: ['\r\n', '\n', '\r'],
      }) as unknown as { record: string[]; info: { lines: number; bytes: number } }[];
      if (first && (!best || first.record.length > best.names.length)) {
        best = { names: first.record, delimiter, info: first.info };
      }
    } catch (error) {
      firstError ??= error;
    }
  }
  if (!best) {
    if (firstError instanceof CsvError) throw new UsageError(csvErrorMessage(firstError, file, 1));
    if (firstError) throw firstError;
    throw new UsageError(`${file}: the file is empty; expected a header row, then data rows`);
  }
  const names = best.names.map((n) => n.trim());
  const shown = (d: string) => DELIMITERS[d] ?? JSON.stringify(d);
  if (names.length === 1) {
    throw new UsageError(
      wanted !== undefined
        ? `${file}:${best.info.lines}: --delimiter ${shown(wanted)} leaves the header as one column, ${showValue(names[0]!)}; which character separates the columns?`
        : `${file}:${best.info.lines}: the header is one column, ${showValue(names[0]!)}, with comma, semicolon and tab alike; pass --delimiter`,
    );
  }
  checkColumnNames(names, `${file}:${best.info.lines}`);
  const end = best.info.bytes;
  const bad = firstInvalidUtf8(bytes, 0, end);
  if (bad !== -1) {
    const delimiter = Buffer.from(best.delimiter)[0]!;
    throw utf8Error(
      bytes,
      bytes.lastIndexOf(LF, bad) + 1,
      bad,
      delimiter,
      `${file}:${best.info.lines}: `,
      (f) => `column ${f + 1} of the header`,
    );
  }
  return {
    names,
    delimiter: best.delimiter,
    bodyStart: end,
    bodyLine: best.info.lines + 1,
    lf: end === 0 || bytes[end - 1] !== CR,
  };
}

/**
 * Reads records that contain no quote from buf[p, lim), every one ending in LF, straight into
 * the table. Returns the next line number.
 */
/** Recent values of a text field, by their bytes: labels repeat, and decoding each costs more. */
type TextCache = { bytes: Buffer; text: string }[];

function cachedText(cache: TextCache, buf: Buffer, start: number, end: number): string {
  const length = end - start;
  for (const entry of cache) {
    const bytes = entry.bytes;
    if (bytes.length !== length) continue;
    let i = 0;
    while (i < length && bytes[i] === buf[start + i]) i += 1;
    if (i === length) return entry.text;
  }
  const text = buf.toString('utf8', start, end);
  if (cache.length < 16 && length <= 64) cache.push({ bytes: Buffer.from(buf.subarray(start, end)), text });
  return text;
}

function scanPlain(
  buf: Buffer,
  p: number,
  lim: number,
  t: TableBuilder,
  line: number,
  delimiter: number,
  texts: TextCache[],
): number {
  const last = t.fields - 1;
  const kind = t.kind;
  const slot = t.slot;
  while (p < lim) {
    let c = buf[p]!;
    if (c === LF || (c === CR && buf[p + 1] === LF)) {
      p += c === LF ? 1 : 2;
      line += 1;
      continue;
    }
    const rowStart = p;
    t.beginRow(line);
    const values = t.values;
    const base = t.base;
    for (let f = 0; ; f++) {
      const k = kind[f]!;
      let done = false;
      if (k === NUMERIC || k === UNKNOWN) {
        // [+-]digits[.digits][(e|E)[+-]digits], at most 15 significant digits and a power of ten
        // within 1e±22: Clinger's fast path, where one rounding gives the same double as Number().
        let q = p;
        c = buf[q]!;
        const negative = c === MINUS;
        if (negative || c === PLUS) c = buf[++q]!;
        let mantissa = 0;
        const first = q;
        while (c >= ZERO && c <= NINE) {
          mantissa = mantissa * 10 + (c - ZERO);
          c = buf[++q]!;
        }
        let digits = q - first;
        let scale = 0;
        if (c === DOT) {
          const point = ++q;
          c = buf[q]!;
          while (c >= ZERO && c <= NINE) {
            mantissa = mantissa * 10 + (c - ZERO);
            c = buf[++q]!;
          }
          digits += q - point;
          scale = point - q;
        }
        let ok = digits > 0 && digits <= 15;
        if (ok && (c === LOWER_E || c === UPPER_E)) {
          c = buf[++q]!;
          const negativeExponent = c === MINUS;
          if (negativeExponent || c === PLUS) c = buf[++q]!;
          let exponent = 0;
          let exponentDigits = 0;
          while (c >= ZERO && c <= NINE && exponentDigits < 4) {
            exponent = exponent * 10 + (c - ZERO);
            exponentDigits += 1;
            c = buf[++q]!;
          }
          ok = exponentDigits > 0;
          scale += negativeExponent ? -exponent : exponent;
        }
        if (
          ok &&
          scale >= -22 &&
          scale <= 22 &&
          (f < last ? c === delimiter : c === LF || (c === CR && buf[q + 1] === LF))
        ) {
          const value = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
          values[base + slot[f]!] = negative ? -value : value;
          if (k === UNKNOWN) t.markNumeric(f, buf.toString('latin1', p, q));
          p = q;
          done = true;
        }
      }
      if (!done) {
        let q = p;
        c = buf[q]!;
        while (c !== delimiter && c !== LF) c = buf[++q]!;
        if ((c === LF && f < last) || (c === delimiter && f === last)) {
          // The same limit as csv-parse's, so that both paths refuse the same files.
          if (buf.indexOf(LF, rowStart) - rowStart > MAX_LINE_BYTES) throw new UsageError(longRecord(t.file, line));
          if (f < last) throw t.fieldCountError(f + 1);
          let found = t.fields;
          while (c !== LF) if ((c = buf[++q]!) === delimiter) found += 1;
          throw t.fieldCountError(found + 1);
        }
        if (k !== SKIP) {
          const end = c === LF && q > p && buf[q - 1] === CR ? q - 1 : q;
          t.text(f, k === TEXT || k === LABEL ? cachedText(texts[f]!, buf, p, end) : buf.toString('utf8', p, end));
        }
        p = q;
      }
      if (f === last) {
        if (buf[p] === CR) p += 1;
        p += 1;
        line += 1;
        break;
      }
      p += 1;
    }
    if (p - rowStart > MAX_LINE_BYTES) throw new UsageError(longRecord(t.file, line - 1));
    t.endRow();
  }
  return line;
}

/** Hands the rest of the file, from the reader's position, to csv-parse. */
async function scanWithCsvParse(
  reader: ChunkReader,
  t: TableBuilder,
  file: string,
  firstLine: number,
  delimiter: string,
  lf: boolean,
  header: readonly string[],
): Promise<void> {
  let nextLine = firstLine;
  const parser = csvParse({
    delimiter,
    encoding: null,
    bom: false,
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_LINE_BYTES,
    record_delimiter: lf ? ['\r\n', '\n'] : ['\r'],
  });
  const source = Readable.from(reader.rest());
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    // Fields come as bytes (encoding: null) and are decoded strictly here, field by field.
    for await (const { record, info } of parser as AsyncIterable<{ record: Buffer[]; info: { lines: number } }>) {
      // info.lines is the line the record ends on; a quoted line break moves its start up.
      let breaks = 0;
      let bytes = record.length - 1;
      const breakByte = lf ? LF : CR;
      for (const field of record) {
        bytes += field.length;
        for (let i = field.indexOf(breakByte); i !== -1; i = field.indexOf(breakByte, i + 1)) breaks += 1;
      }
      const end = firstLine + info.lines - 1;
      t.beginRow(end - breaks);
      // The fast path's limit, in the same terms: the record's fields and delimiters.
      if (bytes > MAX_LINE_BYTES) throw new UsageError(longRecord(file, end - breaks));
      if (record.length !== t.fields) throw t.fieldCountError(record.length);
      for (let f = 0; f < record.length; f++)
        t.text(
          f,
          decodeUtf8(
            record[f]!,
            () => `${file}:${end - breaks}: ${header[f] === undefined ? `column ${f + 1}` : `column "${header[f]}"`}`,
          ),
        );
      t.endRow();
      nextLine = end + 1;
    }
  } catch (error) {
    if (error instanceof CsvError) throw new UsageError(csvErrorMessage(error, file, nextLine));
    throw error;
  } finally {
    source.destroy();
  }
}

/**
 * Reads and validates a CSV file. `path` is what is opened, `file` how messages name it (as the
 * user wrote it). Throws UsageError naming the file, line and column of the first problem.
 */
export async function readCsv(path: string, file: string, name: string, options: CsvOptions): Promise<CsvTable> {
  const { handle, stats } = await openRegularFile(path, file, 'a CSV file');
  try {
    return await readCsvFrom(fileSource(handle, stats.size, stats.mtimeMs, file), file, name, options);
  } finally {
    await handle.close();
  }
}

/** Reads and validates CSV from any source of bytes (a file, a download): the same rules. */
export async function readCsvFrom(
  source: ByteSource,
  file: string,
  name: string,
  options: CsvOptions,
): Promise<CsvTable> {
  const reader = new ChunkReader(source);
  await reader.fill();
  if (reader.end === 0) throw new UsageError(`${file}: the file is empty; expected a header row, then data rows`);
  const header = parseHeader(reader.buf.subarray(0, reader.end), file, options.delimiter);
  let labelField = header.names.length - 1;
  if (options.label !== undefined) {
    labelField = header.names.indexOf(options.label);
    if (labelField === -1) {
      throw new UsageError(
        `--label ${showValue(options.label)}: ${file} has no such column; its columns are ${header.names.map((n) => `"${n}"`).join(', ')}`,
      );
    }
  }
  const table = new TableBuilder({
    file,
    header: header.names,
    labelField,
    missing: options.missing,
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.maxCategories !== undefined ? { maxCategories: options.maxCategories } : {}),
    // Every record takes at least one byte per field (its delimiters and line ending).
    maxRows: Math.floor(source.bound / header.names.length) + 2,
  });

  reader.start = header.bodyStart;
  let line = header.bodyLine;
  const delimiterByte = Buffer.from(header.delimiter);
  const fast = options.parser !== 'csv-parse' && header.lf && delimiterByte.length === 1 && delimiterByte[0]! < 128;
  const { buf } = reader;
  const texts: TextCache[] = header.names.map(() => []);
  while (fast) {
    if (reader.eof && reader.end > reader.start && buf[reader.end - 1] !== LF) buf[reader.end++] = LF;
    const newline = buf.lastIndexOf(LF, reader.end - 1);
    const lim = newline >= reader.start ? newline + 1 : reader.start;
    if (lim === reader.start) {
      if (reader.eof) break;
      if (reader.end - reader.start >= MAX_LINE_BYTES) throw new UsageError(longRecord(file, line));
      await reader.fill();
      continue;
    }
    const quote = buf.subarray(reader.start, lim).indexOf(QUOTE);
    const stop = quote === -1 ? lim : buf.lastIndexOf(LF, reader.start + quote) + 1;
    const bad = firstInvalidUtf8(buf, reader.start, stop);
    if (bad !== -1) {
      // The lines before the bad one first, so that the first problem in the file is the one named.
      const badLine = buf.lastIndexOf(LF, bad) + 1;
      if (badLine > reader.start) line = scanPlain(buf, reader.start, badLine, table, line, delimiterByte[0]!, texts);
      throw utf8Error(buf, badLine, bad, delimiterByte[0]!, `${file}:${line}: `, (f) => `column "${header.names[f]}"`);
    }
    if (stop > reader.start) line = scanPlain(buf, reader.start, stop, table, line, delimiterByte[0]!, texts);
    reader.start = stop;
    if (quote !== -1) break;
  }
  const recordsFast = table.records;
  if (!fast || reader.start < reader.end || !reader.eof) {
    await scanWithCsvParse(reader, table, file, line, header.delimiter, header.lf, header.names);
  }
  const recordsCsvParse = table.records - recordsFast;
  const result = table.finish(name, file);
  return { ...result, delimiter: header.delimiter, recordsFast, recordsCsvParse };
}

// A JSON API's records: an array of objects, `[{...}, ...]`, or such an array inside an object
// (`--records data.items`). Parsed as a stream by @streamparser/json, one record at a time, so a
// response is never held whole. The first record's keys are the columns, in its order; a later
// record may leave a key out (a missing value) but not bring a new one. Numbers are numbers,
// strings text, null missing, true/false text; a nested object or array is refused.
import JSONParser from '@streamparser/json/jsonparser.js';
import { UsageError } from '../errors.js';
import { type ByteSource, firstInvalidUtf8, invalidUtf8 } from './bytes.js';
import type { CsvOptions } from './csv.js';
import { checkColumnNames, showValue, type Table, TableBuilder } from './table.js';

export interface RecordsOptions extends CsvOptions {
  /** Dotted path of the array of records in the response (--records); absent: the response is the array. */
  records?: string;
}

const CHUNK = 1 << 20;

/** Where a trailing multi-byte sequence that is not complete yet starts (its rest comes next). */
function completeUpTo(buf: Uint8Array, end: number): number {
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = buf[end - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? end - back : end;
  }
  return end;
}

export async function readRecords(
  source: ByteSource,
  file: string,
  name: string,
  options: RecordsOptions,
): Promise<Table> {
  const path = options.records;
  const parser = new JSONParser({ paths: [path ? `$.${path}.*` : '$.*'], keepStack: false });
  const pending: unknown[] = [];
  parser.onValue = ({ value }) => void pending.push(value);
  let table: TableBuilder | undefined;
  let header: string[] = [];
  let position = new Map<string, number>();
  let record = 0;
  const take = (value: unknown) => {
    record += 1;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new UsageError(
        `${file}: record ${record} is ${Array.isArray(value) ? 'an array' : showValue(String(value))}, not an object; records must be objects of column: value`,
      );
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (!table) {
      header = entries.map(([key]) => key);
      checkColumnNames(header, `${file}: record 1`);
      if (header.length < 2)
        throw new UsageError(
          `${file}: record 1 has ${header.length} key${header.length === 1 ? '' : 's'}; a data set needs features and a label`,
        );
      let labelField = header.length - 1;
      if (options.label !== undefined) {
        labelField = header.indexOf(options.label);
        if (labelField === -1) {
          throw new UsageError(
            `--label ${showValue(options.label)}: the records of ${file} have no such key; their keys are ${header.map((k) => `"${k}"`).join(', ')}`,
          );
        }
      }
      position = new Map(header.map((key, i) => [key, i]));
      table = new TableBuilder({
        file,
        header,
        labelField,
        missing: options.missing,
        records: true,
        ...(options.schema ? { schema: options.schema } : {}),
        ...(options.maxCategories !== undefined ? { maxCategories: options.maxCategories } : {}),
        // A record takes at least a few bytes per key ("":0,).
        maxRows: Math.floor(source.bound / (4 * header.length)) + 2,
      });
    }
    const t = table;
    t.beginRow(record);
    const seen = new Uint8Array(header.length);
    for (const [key, v] of entries) {
      const f = position.get(key);
      if (f === undefined) {
        throw new UsageError(
          `${file}: record ${record}: key "${key}" is not in the first record; every record must use the first record's keys (${header.map((k) => `"${k}"`).join(', ')})`,
        );
      }
      seen[f] = 1;
      if (v !== null && typeof v === 'object') {
        throw new UsageError(
          `${file}: record ${record}: key "${key}" holds ${Array.isArray(v) ? 'an array' : 'an object'}; values must be numbers, strings, booleans or null (flatten the records)`,
        );
      }
      t.text(f, v === null ? '' : String(v));
    }
    for (let f = 0; f < header.length; f++) if (!seen[f]) t.text(f, '');
    t.endRow();
  };

  const buf = Buffer.allocUnsafe(CHUNK + 4);
  let carry = 0;
  let line = 1;
  let first: number | undefined;
  for (;;) {
    const n = await source.read(buf, carry, CHUNK);
    const end = carry + n;
    const upTo = n === 0 ? end : completeUpTo(buf, end);
    const bad = firstInvalidUtf8(buf, 0, upTo);
    if (bad !== -1) {
      for (let i = 0; i < bad; i++) if (buf[i] === 10) line += 1;
      throw new UsageError(
        `${file}:${line}: ${invalidUtf8(buf, bad, buf.lastIndexOf(10, bad) + 1).replace('of the field', 'of the line')}`,
      );
    }
    for (let i = buf.indexOf(10, 0); i !== -1 && i < upTo; i = buf.indexOf(10, i + 1)) line += 1;
    if (first === undefined) {
      for (let i = 0; i < upTo; i++) {
        const c = buf[i]!;
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xef || c === 0xbb || c === 0xbf) continue;
        first = c;
        break;
      }
      if (first !== undefined && first !== 0x5b && first !== 0x7b) {
        throw new UsageError(
          `${file}: not JSON records (it starts with ${showValue(String.fromCharCode(first))}); expected [{...}, ...] or an object holding such an array`,
        );
      }
      if (first === 0x7b && path === undefined) {
        throw new UsageError(
          `${file}: the response is an object, not an array of records; name the array inside it with --records <path> (e.g. --records data.items)`,
        );
      }
    }
    if (upTo > 0) {
      const text = buf.toString('utf8', 0, upTo);
      try {
        parser.write(text);
      } catch (error) {
        throw new UsageError(`${file}: not valid JSON: ${(error as Error).message}`);
      }
      for (const value of pending.splice(0)) take(value);
    }
    buf.copyWithin(0, upTo, end);
    carry = end - upTo;
    if (n === 0) break;
  }
  if (first === undefined) throw new UsageError(`${file}: the response is empty; expected JSON records`);
  if (!parser.isEnded) {
    try {
      parser.end();
    } catch (error) {
      throw new UsageError(`${file}: the JSON ends early (${(error as Error).message})`);
    }
  }
  if (!table) {
    throw new UsageError(
      path
        ? `${file}: no records at "${path}"; an array of objects was expected there`
        : `${file}: an empty array; no records`,
    );
  }
  return table.finish(name, file);
}

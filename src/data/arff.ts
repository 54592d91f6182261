// Dense ARFF (Weka's format, and OpenML's): a header of @attribute lines declaring each column as
// numeric, nominal ({a,b,c}) or string, then @data rows of comma-separated values, quoted with '
// or " where needed, ? for a missing value, % starting a comment. Nominal and string columns are
// text (one-hot encoded), even where their values look like numbers. Sparse rows ({0 x, 3 y}),
// date and relational attributes are refused with a message saying so.
import { UsageError } from '../errors.js';
import type { ByteSource } from './bytes.js';
import type { CsvOptions } from './csv.js';
import { lines } from './lines.js';
import { checkColumnNames, showValue, type Table, TableBuilder } from './table.js';

export interface ArffOptions extends CsvOptions {
  /** The label when --label does not name one (OpenML's default target). */
  defaultLabel?: string;
  /** Columns to leave out (OpenML's row id and ignored attributes). */
  ignore?: readonly string[];
}

export interface ArffTable extends Table {
  relation: string;
}

/** Splits an ARFF value list: commas (or, in a header, spaces) outside quotes; quotes removed. */
function splitValues(text: string, where: () => string): string[] {
  const values: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i += 1;
    let value = '';
    const quote = text[i];
    if (quote === "'" || quote === '"') {
      i += 1;
      for (;;) {
        if (i >= n) throw new UsageError(`${where()}: a quote (${quote}) opened here is never closed`);
        const c = text[i]!;
        if (c === '\\' && i + 1 < n) {
          const next = text[i + 1]!;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
          continue;
        }
        if (c === quote) {
          i += 1;
          break;
        }
        value += c;
        i += 1;
      }
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i += 1;
      if (i < n && text[i] !== ',')
        throw new UsageError(`${where()}: text after a closing quote; quote the whole value`);
    } else {
      const comma = text.indexOf(',', i);
      const stop = comma === -1 ? n : comma;
      value = text.slice(i, stop).trim();
      // An unquoted ? is missing; a quoted '?' is the text "?".
      if (value === '?') value = '';
      i = stop;
    }
    values.push(value);
    if (i >= n) return values;
    i += 1; // the comma
  }
}

/** An attribute's name and the rest of the line after it (names may be quoted). */
function nameAndType(rest: string, where: () => string): { name: string; type: string } {
  const t = rest.trim();
  const quote = t[0];
  if (quote === "'" || quote === '"') {
    const close = t.indexOf(quote, 1);
    if (close === -1) throw new UsageError(`${where()}: the attribute's name opens a quote that is never closed`);
    return { name: t.slice(1, close), type: t.slice(close + 1).trim() };
  }
  const space = t.search(/\s/);
  if (space === -1) throw new UsageError(`${where()}: an @attribute needs a name and a type`);
  return { name: t.slice(0, space), type: t.slice(space).trim() };
}

export async function readArff(
  source: ByteSource,
  file: string,
  name: string,
  options: ArffOptions,
): Promise<ArffTable> {
  const names: string[] = [];
  const types: ('number' | 'text')[] = [];
  let relation = name;
  let table: TableBuilder | undefined;
  let headerLine = 1;
  for await (const { text, line } of lines(source, file)) {
    const where = () => `${file}:${line}`;
    if (!table) {
      const t = text.trim();
      if (t === '' || t.startsWith('%')) continue;
      const keyword = /^@(\w+)/.exec(t)?.[1]?.toLowerCase();
      if (keyword === 'relation') relation = splitValues(t.slice('@relation'.length), where)[0] || name;
      else if (keyword === 'attribute') {
        const { name: column, type } = nameAndType(t.slice('@attribute'.length), where);
        const lower = type.toLowerCase();
        if (/^(numeric|real|integer)\b/.test(lower)) types.push('number');
        else if (lower.startsWith('{') || /^string\b/.test(lower)) types.push('text');
        else if (/^date\b/.test(lower))
          throw new UsageError(
            `${where()}: attribute "${column}" is a date; date attributes are not supported (convert them to numbers)`,
          );
        else if (/^relational\b/.test(lower))
          throw new UsageError(`${where()}: attribute "${column}" is relational; multi-instance ARFF is not supported`);
        else
          throw new UsageError(
            `${where()}: attribute "${column}" has type ${showValue(type)}; expected numeric, real, integer, string or {nominal values}`,
          );
        names.push(column);
        headerLine = line;
      } else if (keyword === 'data') {
        if (names.length < 2)
          throw new UsageError(
            `${where()}: @data after ${names.length} @attribute line${names.length === 1 ? '' : 's'}; a data set needs features and a label`,
          );
        checkColumnNames(names, `${file}:${headerLine}`);
        const labelName = options.label ?? options.defaultLabel;
        let labelField = names.length - 1;
        if (labelName !== undefined) {
          labelField = names.indexOf(labelName);
          if (labelField === -1) {
            throw new UsageError(
              `${options.label !== undefined ? `--label ${showValue(labelName)}` : `the default target ${showValue(labelName)}`}: ${file} has no such attribute; its attributes are ${names.map((n) => `"${n}"`).join(', ')}`,
            );
          }
        }
        const ignore = new Set(options.ignore ?? []);
        table = new TableBuilder({
          file,
          header: names,
          labelField,
          missing: options.missing,
          ...(options.schema ? { schema: options.schema } : {}),
          ...(options.maxCategories !== undefined ? { maxCategories: options.maxCategories } : {}),
          declared: names.map((n, i) => (ignore.has(n) && i !== labelField ? 'ignore' : types[i])),
          maxRows: Math.floor(source.bound / names.length) + 2,
        });
      } else {
        throw new UsageError(`${where()}: expected @relation, @attribute or @data, not ${showValue(t)}`);
      }
      continue;
    }
    const t = text.trim();
    if (t === '' || t.startsWith('%')) continue;
    if (t.startsWith('{')) {
      throw new UsageError(
        `${where()}: a sparse row ({index value, ...}); sparse ARFF is not supported: write the data dense`,
      );
    }
    const values = splitValues(text, where);
    table.beginRow(line);
    if (values.length !== names.length) throw table.fieldCountError(values.length);
    for (let f = 0; f < values.length; f++) table.text(f, values[f]!);
    table.endRow();
  }
  if (!table) {
    throw new UsageError(
      names.length === 0
        ? `${file}: no @attribute lines; is it an ARFF file?`
        : `${file}: no @data line after the attributes`,
    );
  }
  return { ...table.finish(name, file), relation };
}

import type { Inspection } from '../data/inspection.js';
import { clip, terminalText } from './escape.js';

/** A name from the data as a terminal table shows it: shortened, control characters written out. */
const cell = (name: string) => terminalText(clip(name));

const number = (v: number | undefined) =>
  v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');

function table(head: string[], rows: string[][], left: number[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (left.includes(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** `npm run inspect` output for one data set. */
export function formatInspection(x: Inspection): string {
  const featureColumns = x.columns.filter((c) => c.type !== 'label').length;
  const out = [
    `${terminalText(x.file ?? x.name)}: ${x.rows} rows, ${featureColumns} feature column${featureColumns === 1 ? '' : 's'} + label "${cell(x.label)}", ${x.classes.length} classes; ${x.features} features${x.features !== featureColumns ? ' after one-hot encoding' : ''}`,
    ...(x.fetch
      ? [
          `  downloaded from ${terminalText(x.fetch.url)} at ${x.fetch.fetchedAt}${x.fetch.cached ? ', read from the cache' : ''}; bytes sha256 ${x.fetch.sha256}`,
        ]
      : []),
    `  ${x.delimiter ? `delimiter: ${x.delimiter}; ` : x.file ? '' : `built in (${x.source}); `}sha256 ${x.sha256}; read in ${x.readMs.toFixed(0)} ms${
      x.records && x.records.csvParse > 0 ? ` (${x.records.csvParse} records with quotes read by csv-parse)` : ''
    }`,
    '',
    table(
      ['column', 'type', 'missing', 'min', 'max'],
      x.columns.map((c) => [
        cell(c.name),
        c.type === 'one-hot'
          ? `text, one-hot: ${c.categories!.length} values (${c.categories!.slice(0, 5).map(cell).join(', ')}${c.categories!.length > 5 ? ', …' : ''})`
          : c.type,
        String(c.missing),
        number(c.min),
        number(c.max),
      ]),
      [0, 1],
    ),
    '',
    table(
      ['class', 'rows'],
      x.classes.map((c) => [cell(c.name), String(c.rows)]),
      [0],
    ),
    '',
    x.missing.cells === 0
      ? 'missing cells: none'
      : `missing cells: ${x.missing.cells} in ${x.missing.rows} rows: ${x.missing.first.map((m) => `line ${m.line} "${cell(m.column)}"`).join(', ')}${x.missing.cells > x.missing.first.length ? ', …' : ''}`,
  ];
  if (x.problems.length > 0) out.push('', ...x.problems.map((p) => `problem: ${terminalText(p)}`));
  return out.join('\n');
}

import picocolors from 'picocolors';
import type { MeasureSpec, ModelReport, Report } from '../results/report.js';
import { COLUMNS, formatValue } from './columns.js';
import { terminalText } from './escape.js';
import {
  boardCaption,
  cvText,
  DEFAULT_COLUMNS,
  leaderboardRows,
  marksLegend,
  scoreColumns,
  tunedParams,
  untrainedNote,
} from './text.js';

export type Colors = ReturnType<typeof picocolors.createColors>;
export const colors = (enabled: boolean): Colors => picocolors.createColors(enabled);

/** One line for a model as soon as it finishes. */
export function formatModelLine(m: ModelReport, c: Colors): string {
  // A model's message is its own text: on a terminal, its control characters are written out.
  if (m.status === 'failed') return `${c.red('✗')} ${m.id.padEnd(22)} ${c.red(terminalText(untrainedNote(m)))}`;
  if (m.status === 'not-run') return `${c.yellow('-')} ${m.id.padEnd(22)} ${c.yellow(terminalText(untrainedNote(m)))}`;
  const parts = [
    m.metrics ? `test ${COLUMNS.accuracy.label} ${formatValue('accuracy', m.metrics.accuracy)}` : undefined,
    m.cv ? `cv ${cvText(m)}` : undefined,
    // Predict time is the leaderboard's: this line stays within a terminal's width.
    `${COLUMNS.fitMs.short} ${formatValue('fitMs', m.timings.fitMs)}`,
  ].filter(Boolean);
  return `${c.green('✓')} ${m.id.padEnd(22)} ${parts.join('  ')}`;
}

/** The leaderboard table, best first, models that did not train last. */
export function formatLeaderboard(report: Report, c: Colors, specs: readonly MeasureSpec[] = DEFAULT_COLUMNS): string {
  const columns = scoreColumns(report, specs, false);
  const rows = leaderboardRows(report, columns);
  const heads = ['#', 'model', ...columns.map((col) => col.head), ''];
  const text = (r: (typeof rows)[number], i: number) =>
    i === 0 ? r.rank : i === 1 ? r.model.id : i === heads.length - 1 ? r.marks.join('; ') : (r.cells[i - 2] ?? '');
  // A model that did not train has its rank and id in the table, and a note past them.
  const widths = heads.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.note && i > 1 ? 0 : text(r, i).length))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 1 || i === heads.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [c.bold(line(heads))];
  for (const r of rows) {
    if (r.note) {
      const paint = r.model.status === 'failed' ? c.red : c.yellow;
      out.push(`${r.rank.padStart(widths[0]!)}  ${r.model.id.padEnd(widths[1]!)}  ${paint(terminalText(r.note))}`);
    } else {
      const cells = heads.map((_, i) => text(r, i));
      const marked = line(cells);
      out.push(
        r.marks.includes('does not beat dummy')
          ? marked.replace('does not beat dummy', c.yellow('does not beat dummy'))
          : marked,
      );
    }
  }
  return [...out, c.dim(boardCaption(report)), ...marksLegend(report, rows).map((line) => c.dim(line))].join('\n');
}

export function formatSummary(
  report: Report,
  folder: string | undefined,
  c: Colors,
  columns: readonly MeasureSpec[] = DEFAULT_COLUMNS,
): string {
  const header =
    `${terminalText(report.dataset.name)}: ${report.dataset.rows} rows, ${report.dataset.features} features, ${report.dataset.classes.length} classes; ` +
    `${report.split.train.length} train / ${report.split.test.length} test rows (seed ${report.split.seed}${report.split.file ? `, ${report.split.file}` : ''}); ${report.threads} threads; ${formatValue('fitMs', report.durationMs)}${report.status === 'interrupted' ? '; interrupted: partial report' : ''}`;
  const tuned = tunedParams(report);
  return [
    c.dim(header),
    '',
    formatLeaderboard(report, c, columns),
    ...(tuned.length
      ? [
          '',
          c.bold('tuned params (the grid values --tune chose):'),
          ...tuned.map((t) => `  ${t.id.padEnd(22)} ${t.params}`),
        ]
      : []),
    ...(folder ? ['', `report: ${folder}`] : []),
  ].join('\n');
}

import picocolors from 'picocolors';
import type { ModelReport, Report } from '../results/report.js';
import { COLUMNS, formatValue } from './columns.js';
import { terminalText } from './escape.js';
import { cvText, leaderboardRows, scoreColumns, untrainedNote } from './text.js';

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
    `${COLUMNS.fitMs.short} ${formatValue('fitMs', m.timings.fitMs)}`,
  ].filter(Boolean);
  return `${c.green('✓')} ${m.id.padEnd(22)} ${parts.join('  ')}`;
}

/** The console leaderboard's test metrics. */
export const CONSOLE_METRICS = ['accuracy', 'balancedAccuracy', 'macroF1'] as const;

/** The leaderboard table, best first, models that did not train last. */
export function formatLeaderboard(report: Report, c: Colors): string {
  const columns = scoreColumns(report, CONSOLE_METRICS, ['fitMs'], false);
  const rows = leaderboardRows(report, columns);
  const heads = ['#', 'model', ...columns.map((col) => col.head)];
  const widths = heads.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (i === 0 ? r.rank : i === 1 ? r.model.id : (r.cells[i - 2] ?? '')).length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [c.bold(line(heads))];
  for (const r of rows) {
    if (r.note) {
      const paint = r.model.status === 'failed' ? c.red : c.yellow;
      out.push(`${r.rank.padStart(widths[0]!)}  ${r.model.id.padEnd(widths[1]!)}  ${paint(terminalText(r.note))}`);
    } else out.push(line([r.rank, r.model.id, ...r.cells]));
  }
  return out.join('\n');
}

export function formatSummary(report: Report, folder: string | undefined, c: Colors): string {
  const header =
    `${terminalText(report.dataset.name)}: ${report.dataset.rows} rows, ${report.dataset.features} features, ${report.dataset.classes.length} classes; ` +
    `${report.split.train.length} train / ${report.split.test.length} test rows (seed ${report.split.seed}${report.split.file ? `, ${report.split.file}` : ''}); ${report.threads} threads; ${(report.durationMs / 1000).toFixed(2)} s${report.status === 'interrupted' ? '; interrupted: partial report' : ''}`;
  return [c.dim(header), '', formatLeaderboard(report, c), ...(folder ? ['', `report: ${folder}`] : [])].join('\n');
}

import picocolors from 'picocolors';
import type { ModelReport, Report } from '../results/report.js';
import { cvText, fixed, leaderboardRows, ms } from './text.js';

export type Colors = ReturnType<typeof picocolors.createColors>;
export const colors = (enabled: boolean): Colors => picocolors.createColors(enabled);

/** One line for a model as soon as it finishes. */
export function formatModelLine(m: ModelReport, c: Colors): string {
  if (m.status === 'failed')
    return `${c.red('✗')} ${m.id.padEnd(22)} ${c.red(`failed in ${m.error.task}: ${m.error.message}`)}`;
  const parts = [
    m.metrics ? `test accuracy ${fixed(m.metrics.accuracy)}` : undefined,
    m.cv ? `cv ${cvText(m)}` : undefined,
    `fit ${ms(m.timings.fitMs)} ms`,
  ].filter(Boolean);
  return `${c.green('✓')} ${m.id.padEnd(22)} ${parts.join('  ')}`;
}

/** The leaderboard table, best first, failed models last. */
export function formatLeaderboard(report: Report, c: Colors): string {
  const rows = leaderboardRows(report);
  const hasCv = report.cv !== null;
  const hasTest = report.split.test.length > 0;
  const columns: { head: string; cell: (r: (typeof rows)[number]) => string; left?: boolean }[] = [
    { head: '#', cell: (r) => r.rank },
    { head: 'model', cell: (r) => r.id, left: true },
    ...(hasCv ? [{ head: `cv accuracy (${report.cv!.k}-fold)`, cell: (r: (typeof rows)[number]) => r.cv }] : []),
    ...(hasTest
      ? [
          { head: 'test acc', cell: (r: (typeof rows)[number]) => r.accuracy },
          { head: 'bal. acc', cell: (r: (typeof rows)[number]) => r.balancedAccuracy },
          { head: 'macro F1', cell: (r: (typeof rows)[number]) => r.macroF1 },
        ]
      : []),
    { head: 'fit ms', cell: (r) => r.fitMs },
  ];
  const widths = columns.map((col) => Math.max(col.head.length, ...rows.map((r) => col.cell(r).length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (columns[i]!.left ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [c.bold(line(columns.map((col) => col.head)))];
  for (const r of rows) {
    if (r.note) out.push(`${r.rank.padStart(widths[0]!)}  ${r.id.padEnd(widths[1]!)}  ${c.red(r.note)}`);
    else out.push(line(columns.map((col) => col.cell(r))));
  }
  return out.join('\n');
}

export function formatSummary(report: Report, folder: string | undefined, c: Colors): string {
  const header =
    `${report.dataset.name}: ${report.dataset.rows} rows, ${report.dataset.features} features, ${report.dataset.classes.length} classes; ` +
    `${report.split.train.length} train / ${report.split.test.length} test rows (seed ${report.split.seed}${report.split.file ? `, ${report.split.file}` : ''}); ${report.threads} threads; ${(report.durationMs / 1000).toFixed(2)} s${report.status === 'interrupted' ? '; interrupted: partial report' : ''}`;
  return [c.dim(header), '', formatLeaderboard(report, c), ...(folder ? ['', `report: ${folder}`] : [])].join('\n');
}

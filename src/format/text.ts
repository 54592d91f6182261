// format/: pure formatters, `(report or comparison) => string`, for the console, report.md,
// report.html, compare's and history's pages and the progress line; columns.ts is the one table of
// labels and number formats; escape.ts writes names from the data as each output needs them
// (shortened, escaped for Markdown, control characters written out for a terminal). May import
// results/ and ml/ types and charts/ inputs; never writes.
import { METRICS, type MetricId, type TimingId } from '../ml/metrics.js';
import { rankModels, type ModelReport, type OkModelReport, type Report } from '../results/report.js';
import { COLUMNS, formatValue } from './columns.js';

export const fixed = (value: number | null | undefined, digits = 3) =>
  value === undefined ? '-' : value === null ? 'n/a' : value.toFixed(digits);
export const ms = (value: number | undefined) => formatValue('fitMs', value);
export const cvText = (m: ModelReport) => {
  const s = m.cv?.accuracy;
  return !m.cv ? '-' : !s ? 'n/a' : `${fixed(s.mean)} ± ${fixed(s.std)}`;
};

/** One leaderboard column: its head and the cell of a trained model. */
export interface ScoreColumn {
  head: string;
  cell(m: OkModelReport): string;
}

/**
 * The leaderboard's score columns for a report: CV mean accuracy with CV, the given test metrics
 * with a test part, then the given timings. `long` uses full labels (pages), else short ones.
 */
export function scoreColumns(
  report: Report,
  metrics: readonly MetricId[],
  timings: readonly TimingId[],
  long: boolean,
): ScoreColumn[] {
  const label = (id: MetricId | TimingId) => (long ? COLUMNS[id].label : COLUMNS[id].short);
  const hasTest = report.split.test.length > 0;
  return [
    ...(report.cv ? [{ head: `cv ${label('accuracy')} (${report.cv.k}-fold)`, cell: cvText }] : []),
    ...(hasTest
      ? metrics.map((id) => ({
          // With CV beside them, say which scores are the test part's.
          head: report.cv || id === 'accuracy' ? `test ${label(id)}` : label(id),
          cell: (m: OkModelReport) => formatValue(id, m.metrics?.[id]),
        }))
      : []),
    ...timings.map((id) => ({ head: label(id), cell: (m: OkModelReport) => formatValue(id, m.timings[id]) })),
  ];
}

/** Every metric of the table, in its order. */
export const ALL_METRICS: readonly MetricId[] = METRICS.map((m) => m.id);

export interface LeaderboardRow {
  rank: string;
  model: ModelReport;
  /** One cell per score column; empty for a model that did not train. */
  cells: string[];
  /** Why it has no scores. */
  note: string;
}

/** Why a model that did not train has no scores, in one line. */
export function untrainedNote(m: ModelReport): string {
  if (m.status === 'failed') return `failed in ${m.error.task}: ${m.error.message}`;
  if (m.status === 'not-run') return `not run: ${m.reason.message}`;
  return '';
}

/** The leaderboard as rows of text cells, best first, shared by the console and Markdown formatters. */
export function leaderboardRows(report: Report, columns: readonly ScoreColumn[]): LeaderboardRow[] {
  let rank = 0;
  return rankModels(report).map((m) => {
    if (m.status !== 'ok') return { rank: '-', model: m, cells: [], note: untrainedNote(m) };
    rank += 1;
    return { rank: String(rank), model: m, cells: columns.map((c) => c.cell(m)), note: '' };
  });
}

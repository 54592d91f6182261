// format/: pure formatters, `(report or comparison) => string`, for the console, report.md,
// report.html, compare's and history's pages and the progress line; columns.ts is the one table of
// labels and number formats; escape.ts writes names from the data as each output needs them
// (shortened, escaped for Markdown, control characters written out for a terminal). May import
// results/ and ml/ types and charts/ inputs; never writes.
import { METRICS, type MetricId, type TimingId } from '../ml/metrics.js';
import { BOARD_ALPHA, beatsBaseline, boardScope, versusBest, type VersusBest } from '../results/leaderboard.js';
import {
  defaultSortBy,
  measureValue,
  rankModels,
  resolveMeasure,
  sameMeasure,
  type Measure,
  type MeasureSpec,
  type ModelReport,
  type OkModelReport,
  type Report,
} from '../results/report.js';
import { COLUMNS, formatValue } from './columns.js';

export const fixed = (value: number | null | undefined, digits = 3) =>
  value === undefined ? '-' : value === null ? 'n/a' : value.toFixed(digits);
export const ms = (value: number | undefined) => formatValue('fitMs', value);
export const cvText = (m: ModelReport) => {
  const s = m.cv?.accuracy;
  return !m.cv ? '-' : !s ? 'n/a' : `${fixed(s.mean)} ± ${fixed(s.std)}`;
};

/** A measure's name: "test accuracy", "CV macro F1", "fit time" (short: "test acc", "CV macro F1", "fit"). */
export function measureLabel(m: Measure, long = true): string {
  const label = long ? COLUMNS[m.id].label : COLUMNS[m.id].short;
  return m.scope === 'timing' ? label : `${m.scope === 'test' ? 'test' : 'CV'} ${label}`;
}

/** A model's value of a measure as printed: `n/a` where it cannot have one, `-` where there is none. */
export function measureText(m: ModelReport, measure: Measure, withStd = false): string {
  const v = measureValue(m, measure);
  if (withStd && measure.scope === 'cv' && typeof v === 'number' && m.cv) {
    const summary = (m.cv as Record<string, { std: number } | null | undefined>)[measure.id];
    if (summary) return `${formatValue(measure.id, v)} ± ${formatValue(measure.id, summary.std)}`;
  }
  return formatValue(measure.id, v);
}

/** One leaderboard column: its measure, its head and the cell of a trained model. */
export interface ScoreColumn {
  measure: Measure;
  head: string;
  cell(m: OkModelReport): string;
}

/**
 * PyCaret's compare_models columns (accuracy, AUC, recall, precision, F1, kappa, MCC, times),
 * with log loss beside them; recall, precision and F1 weighted by class support.
 */
export const DEFAULT_COLUMNS: readonly MeasureSpec[] = [
  ...(
    ['accuracy', 'rocAuc', 'weightedRecall', 'weightedPrecision', 'weightedF1', 'kappa', 'mcc', 'logLoss'] as const
  ).map((id): MeasureSpec => ({ scope: 'board', id })),
  { scope: 'timing', id: 'fitMs' },
  { scope: 'timing', id: 'predictMs' },
];

/** Every metric of the table, in its order. */
export const ALL_METRICS: readonly MetricId[] = METRICS.map((m) => m.id);
export const ALL_COLUMNS: readonly MeasureSpec[] = [
  ...ALL_METRICS.map((id): MeasureSpec => ({ scope: 'board', id })),
  ...(['fitMs', 'predictMs'] as const).map((id): MeasureSpec => ({ scope: 'timing', id })),
];

/**
 * The leaderboard's columns for a report: each metric in the board's scope (CV means when the
 * run is sorted on CV, else the test part's) unless it names its own; with `testAccuracy`, CV
 * scores shown and a test part beside them, test accuracy too. Columns the report cannot have
 * (CV without CV, the test part without one) are left out. `long` uses full labels (pages), else
 * short ones.
 */
export function scoreColumns(
  report: Report,
  specs: readonly MeasureSpec[],
  long: boolean,
  testAccuracy = false,
): ScoreColumn[] {
  const scope = boardScope(report);
  const sortBy = report.sortBy ?? defaultSortBy(report);
  const hasTest = report.split.test.length > 0;
  const measures = specs.map((s) => resolveMeasure(s, scope));
  if (testAccuracy && scope === 'cv' && hasTest) measures.splice(1, 0, { scope: 'test', id: 'accuracy' });
  const label = (id: MetricId | TimingId) => (long ? COLUMNS[id].label : COLUMNS[id].short);
  return measures
    .filter((m, i) => measures.findIndex((x) => sameMeasure(x, m)) === i)
    .filter((m) => (m.scope === 'cv' ? report.cv !== null : m.scope === 'test' ? hasTest : true))
    .map((measure) => ({
      measure,
      // A metric of the board's own scope goes by its name alone (the heading says which scores
      // they are); one of the other scope says so.
      head: measure.scope === 'timing' || measure.scope === scope ? label(measure.id) : measureLabel(measure, long),
      // The sort column of CV scores shows their spread too.
      cell: (m: OkModelReport) => measureText(m, measure, sameMeasure(measure, sortBy)),
    }));
}

/** What the board's numbers are, in a phrase: "mean of 5-fold CV on the training part" or "on the test part". */
export function boardCaption(report: Report): string {
  const sortBy = report.sortBy ?? defaultSortBy(report);
  const scores =
    boardScope(report) === 'cv'
      ? `scores: mean of ${report.cv!.k}-fold CV on the training part`
      : `scores: on the ${report.split.test.length} test rows`;
  return `${scores}; sorted by ${measureLabel(sortBy)}`;
}

export interface LeaderboardRow {
  rank: string;
  model: ModelReport;
  /** One cell per score column; empty for a model that did not train. */
  cells: string[];
  /** Why it has no scores. */
  note: string;
  /** What the board says of a trained model: best, not significantly worse, does not beat the baseline. */
  marks: string[];
}

/** Why a model that did not train has no scores, in one line. */
export function untrainedNote(m: ModelReport): string {
  if (m.status === 'failed') return `failed in ${m.error.task}: ${m.error.message}`;
  if (m.status === 'not-run') return `not run: ${m.reason.message}`;
  return '';
}

const pText = (p: number) => (p < 0.001 ? 'p<0.001' : `p=${p.toFixed(p < 0.01 ? 3 : 2)}`);

function marksOf(report: Report, m: ModelReport, vs: VersusBest | undefined): string[] {
  const marks: string[] = [];
  if (vs?.kind === 'best') marks.push('best');
  else if (vs?.kind === 'tested') marks.push(vs.worse ? `worse ${pText(vs.p)}` : `≈ ${pText(vs.p)}`);
  if (m.baseline) marks.push('baseline');
  else if (beatsBaseline(report, m) === false) marks.push('does not beat dummy');
  return marks;
}

/** The sentences under a board that say what its marks mean, when it has any (one per line on a console). */
export function marksLegend(report: Report, rows: readonly LeaderboardRow[]): string[] {
  const tested = [...versusBest(report).values()].find((v) => v.kind === 'tested');
  const out: string[] = [];
  if (tested?.kind === 'tested') {
    const how =
      tested.test === 'cv'
        ? `Nadeau-Bengio corrected resampled t-test on the ${report.cv?.k ?? ''} CV folds`
        : "McNemar's exact test on the test rows";
    out.push(`≈: not significantly worse than the best (${how}, p ≥ ${BOARD_ALPHA})`);
  }
  if (rows.some((r) => r.marks.includes('does not beat dummy')))
    out.push('does not beat dummy: scores no better than always answering the most frequent class');
  return out;
}

/** The leaderboard as rows of text cells, best first, shared by the console, Markdown and HTML formatters. */
export function leaderboardRows(report: Report, columns: readonly ScoreColumn[]): LeaderboardRow[] {
  const vs = versusBest(report);
  let rank = 0;
  return rankModels(report).map((m) => {
    if (m.status !== 'ok') return { rank: '-', model: m, cells: [], note: untrainedNote(m), marks: [] };
    rank += 1;
    return {
      rank: String(rank),
      model: m,
      cells: columns.map((c) => c.cell(m)),
      note: '',
      marks: marksOf(report, m, vs.get(m.id)),
    };
  });
}

/** The params a --tune run chose for each model, as `key=value` of the keys its grid varied. */
export function tunedParams(report: Report): { id: string; params: string }[] {
  return report.models.flatMap((m) => {
    if (!m.tuning || m.status !== 'ok') return [];
    const candidates = m.tuning.candidates.map((c) => c.params);
    const varied = Object.keys(m.params).filter((key) =>
      candidates.some((c) => JSON.stringify(c[key]) !== JSON.stringify(candidates[0]![key])),
    );
    if (varied.length === 0) return [];
    return [{ id: m.id, params: varied.map((key) => `${key}=${JSON.stringify(m.params[key])}`).join(' ') }];
  });
}

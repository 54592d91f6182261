// How each metric and timing of ml/metrics.ts is labelled and printed, once: every formatter
// (console, Markdown, HTML, compare, history) takes its words and numbers from here. A metric
// without an entry does not compile.
import { METRICS, TIMINGS, type MetricId, type TimingId } from '../ml/metrics.js';
import type { MeasureSpec } from '../results/report.js';

export interface ColumnFormat {
  /** In sentences, table heads with room, and pages: "balanced accuracy". */
  label: string;
  /** In console tables: "bal. acc". */
  short: string;
  format(value: number): string;
}

const score = (value: number) => value.toFixed(3);

/** A time in the unit people read it in: `0.60 ms`, `13.7 ms`, `1.71 s`, `28 min 40 s`, `2 h 5 min`. */
export function humanDuration(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return s < 3600
    ? `${Math.floor(s / 60)} min ${s % 60} s`
    : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export const COLUMNS: Record<MetricId | TimingId, ColumnFormat> = {
  accuracy: { label: 'accuracy', short: 'acc', format: score },
  balancedAccuracy: { label: 'balanced accuracy', short: 'bal. acc', format: score },
  macroPrecision: { label: 'macro precision', short: 'macro prec', format: score },
  macroRecall: { label: 'macro recall', short: 'macro rec', format: score },
  macroF1: { label: 'macro F1', short: 'macro F1', format: score },
  weightedPrecision: { label: 'weighted precision', short: 'prec.', format: score },
  weightedRecall: { label: 'weighted recall', short: 'recall', format: score },
  weightedF1: { label: 'weighted F1', short: 'F1', format: score },
  kappa: { label: "Cohen's kappa", short: 'kappa', format: score },
  mcc: { label: 'Matthews correlation', short: 'MCC', format: score },
  rocAuc: { label: 'ROC AUC', short: 'AUC', format: score },
  rocAucWeighted: { label: 'weighted ROC AUC', short: 'AUC w.', format: score },
  logLoss: { label: 'log loss', short: 'log loss', format: score },
  fitMs: { label: 'fit time', short: 'fit', format: humanDuration },
  predictMs: { label: 'predict time', short: 'predict', format: humanDuration },
};

/** A value as printed: `-` where there is none, `n/a` where the model cannot have one (null). */
export function formatValue(id: MetricId | TimingId, value: number | null | undefined): string {
  return value === undefined ? '-' : value === null ? 'n/a' : COLUMNS[id].format(value);
}

const normal = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
const metricIds = new Set<string>(METRICS.map((m) => m.id));

/** Every name a metric or timing answers to: its id, its label and its short label, normalized. */
function names(): Map<string, MetricId | TimingId> {
  const out = new Map<string, MetricId | TimingId>();
  for (const id of [...METRICS.map((m) => m.id), ...TIMINGS.map((t) => t.id)]) {
    for (const name of [id, COLUMNS[id].label, COLUMNS[id].short]) out.set(normal(name), id);
  }
  return out;
}

const choices = () =>
  [...METRICS.map((m) => m.id), ...TIMINGS.map((t) => t.id)]
    .map((id) => (normal(COLUMNS[id].short) === normal(id) ? id : `${id} (${COLUMNS[id].short})`))
    .join(', ');

/**
 * A metric as users name it (--sort-by, --columns, their settings): `auc`, `rocAuc`, `log loss`,
 * `mcc`, `fit`, optionally with the scores it means, `test.` or `cv.` (default: the
 * leaderboard's own, CV when the run has it). A string when there is no such measure: what is wrong.
 */
export function parseMeasure(text: string): MeasureSpec | string {
  const match = /^\s*(?:(test|cv)[.:])?(.+?)\s*$/i.exec(text);
  const scope = match?.[1]?.toLowerCase() as 'test' | 'cv' | undefined;
  const id = match ? names().get(normal(match[2]!)) : undefined;
  if (!id) return `no such metric; choose one of ${choices()}, optionally as test.<metric> or cv.<metric>`;
  if (!metricIds.has(id)) {
    if (scope) return `${id} is a time of the final fit; drop "${scope}."`;
    return { scope: 'timing', id: id as TimingId };
  }
  return scope ? { scope, id: id as MetricId } : { scope: 'board', id: id as MetricId };
}

// How each metric and timing of ml/metrics.ts is labelled and printed, once: every formatter
// (console, Markdown, HTML, compare, history) takes its words and numbers from here. A metric
// without an entry does not compile.
import type { MetricId, TimingId } from '../ml/metrics.js';

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

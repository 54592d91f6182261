// A data set's runs over time: one row per run, the accuracy of each model. Pure.
import type { Report } from './report.js';

export type HistoryMetric = 'test' | 'cv';

export interface HistoryRow {
  runId: string;
  createdAt: string;
  seed: number;
  sha256: string;
  /** The data's content hash differs from the row before: accuracies across it are not comparable. */
  dataChanged: boolean;
  /** CV folds of the run (null: none), and whether it tuned its grids. */
  cv: number | null;
  tuned: boolean;
  /** The run was stopped early: its models that did not finish are not run, not failed. */
  interrupted: boolean;
  /** Per model id: its accuracy, 'failed', 'not-run', or undefined when the run did not train it or has no such score. */
  values: Record<string, number | 'failed' | 'not-run' | undefined>;
}

export interface History {
  dataset: string;
  metric: HistoryMetric;
  /** Model ids, in order of first appearance. */
  models: string[];
  /** Oldest first. */
  rows: HistoryRow[];
  /** Other data sets in the results folder, with their number of runs. */
  others: { dataset: string; runs: number }[];
}

export function buildHistory(
  reports: readonly Report[],
  dataset: string,
  metric: HistoryMetric,
  last?: number,
): History {
  const mine = reports
    .filter((r) => r.dataset.name === dataset)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.runId < b.runId ? -1 : 1));
  const kept = last === undefined ? mine : mine.slice(-last);
  const models: string[] = [];
  for (const r of kept) for (const m of r.models) if (!models.includes(m.id)) models.push(m.id);
  const rows = kept.map((r, i): HistoryRow => {
    const values: HistoryRow['values'] = {};
    for (const m of r.models) {
      if (m.status !== 'ok') values[m.id] = m.status;
      else values[m.id] = metric === 'test' ? m.metrics?.accuracy : m.cv?.accuracy?.mean;
    }
    const before = kept[i - 1];
    return {
      runId: r.runId,
      createdAt: r.createdAt,
      seed: r.split.seed,
      sha256: r.dataset.sha256,
      dataChanged: before !== undefined && before.dataset.sha256 !== r.dataset.sha256,
      cv: r.cv?.k ?? null,
      tuned: r.tune,
      interrupted: r.status === 'interrupted',
      values,
    };
  });
  const counts = new Map<string, number>();
  for (const r of reports)
    if (r.dataset.name !== dataset) counts.set(r.dataset.name, (counts.get(r.dataset.name) ?? 0) + 1);
  return {
    dataset,
    metric,
    models,
    rows,
    others: [...counts]
      .map(([name, runs]) => ({ dataset: name, runs }))
      .sort((a, b) => (a.dataset < b.dataset ? -1 : 1)),
  };
}

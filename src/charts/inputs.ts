// What each chart shows, as plain data for a template in src/charts/templates.ts. Pure functions
// of reports; drawing is src/charts/render.ts.
import type { Comparison } from '../results/compare.js';
import type { History } from '../results/history.js';
import { rankModels, type OkModelReport, type Report } from '../results/report.js';
import type { TemplateName } from './templates.js';

export interface ChartInput {
  template: TemplateName;
  /** Rows for each named data set of the template. */
  data: Record<string, object[]>;
  /** Values for the template's parameters. */
  signals: Record<string, unknown>;
}

/** Marker styles, shared with the page's legends. */
export const MARKERS = {
  test: { color: '#e45756', shape: 'diamond', label: 'test accuracy' },
  cv: { color: '#4c78a8', shape: 'circle', label: 'CV mean ± std' },
  fold: { color: '#8fa8c8', label: 'one CV fold' },
  runA: { color: '#9aa5b1', shape: 'circle', label: 'run A' },
  runB: { color: '#4c78a8', shape: 'circle', label: 'run B' },
  better: '#54a24b',
  worse: '#e45756',
  same: '#bab0ac',
} as const;

/** The low end of an accuracy axis: a little under the lowest value, on a 0.05 grid. */
export function accuracyFloor(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 0;
  const lo = Math.floor((Math.min(...finite) - 0.02) * 20) / 20;
  return Math.min(0.9, Math.max(0, lo));
}

const okModels = (report: Pick<Report, 'models'>): OkModelReport[] =>
  rankModels(report).filter((m): m is OkModelReport => m.status === 'ok');

/**
 * Accuracy (test, CV mean ± std, folds) and fit time per trained model, best first; `time` writes
 * a fit time as the page's tables do.
 */
export function overviewChart(report: Pick<Report, 'models'>, time: (ms: number) => string): ChartInput | undefined {
  const models = okModels(report);
  if (models.length === 0) return undefined;
  const points = models.flatMap((m) => [
    ...(m.metrics ? [{ model: m.id, ...MARKERS.test, score: MARKERS.test.label, value: m.metrics.accuracy }] : []),
    ...(m.cv ? [{ model: m.id, ...MARKERS.cv, score: MARKERS.cv.label, value: m.cv.accuracy.mean }] : []),
  ]);
  const spreads = models.flatMap((m) =>
    m.cv
      ? [
          {
            model: m.id,
            lo: Math.max(0, m.cv.accuracy.mean - m.cv.accuracy.std),
            hi: Math.min(1, m.cv.accuracy.mean + m.cv.accuracy.std),
          },
        ]
      : [],
  );
  const folds = models.flatMap((m) =>
    m.cv ? m.cv.accuracy.folds.map((value, i) => ({ model: m.id, fold: i + 1, value })) : [],
  );
  const fit = models.map((m) => ({ model: m.id, ms: m.timings.fitMs, label: time(m.timings.fitMs) }));
  return {
    template: 'overview',
    data: { points, spreads, folds, fit },
    signals: {
      models: models.map((m) => m.id),
      lo: accuracyFloor([...points.map((p) => p.value), ...spreads.map((s) => s.lo), ...folds.map((f) => f.value)]),
    },
  };
}

/** One model's confusion matrix on the test part, or undefined without one. */
export function confusionChart(model: OkModelReport): ChartInput | undefined {
  if (!model.metrics) return undefined;
  const { labels, matrix } = model.metrics.confusionMatrix;
  const maxCount = Math.max(1, ...matrix.flat());
  const cells = matrix.flatMap((row, i) =>
    row.map((count, j) => ({ actual: labels[i], predicted: labels[j], count, dark: count > maxCount * 0.55 })),
  );
  return { template: 'confusion', data: { cells }, signals: { classes: labels, maxCount } };
}

const score = (v: number | null | undefined) => (typeof v === 'number' ? v : undefined);

/** Each model's accuracy in run A and run B, joined by a line coloured by which way it moved. */
export function compareChart(c: Comparison): ChartInput | undefined {
  const pairs = c.models
    .map((m) => ({ id: m.id, a: score(m.accuracy.a), b: score(m.accuracy.b) }))
    .filter((m) => m.a !== undefined || m.b !== undefined);
  if (pairs.length === 0) return undefined;
  const points = pairs.flatMap((m) => [
    ...(m.a !== undefined ? [{ model: m.id, run: 'A', value: m.a, ...MARKERS.runA }] : []),
    ...(m.b !== undefined ? [{ model: m.id, run: 'B', value: m.b, ...MARKERS.runB }] : []),
  ]);
  const segments = pairs.flatMap(({ id, a, b }) =>
    a !== undefined && b !== undefined
      ? [
          {
            model: id,
            a,
            b,
            color: !c.sameData
              ? MARKERS.same
              : b > a + 1e-12
                ? MARKERS.better
                : b < a - 1e-12
                  ? MARKERS.worse
                  : MARKERS.same,
          },
        ]
      : [],
  );
  const best = (m: (typeof pairs)[number]) => m.b ?? m.a ?? 0;
  return {
    template: 'compare',
    data: { points, segments },
    signals: {
      models: [...pairs].sort((x, y) => best(y) - best(x) || (x.id < y.id ? -1 : 1)).map((m) => m.id),
      lo: accuracyFloor(points.map((p) => p.value)),
    },
  };
}

/** Accuracy per model over time, a point per run. */
export function historyChart(h: History): ChartInput | undefined {
  // The run's number keeps labels unique when two runs start in the same minute.
  const labels = h.rows.map((r, i) => `${i + 1} · ${r.createdAt.slice(5, 16).replace('T', ' ')}`);
  const rows = h.rows.flatMap((r, i) =>
    h.models.flatMap((model) => {
      const v = r.values[model];
      return typeof v === 'number' ? [{ run: r.runId, label: labels[i], model, accuracy: v }] : [];
    }),
  );
  if (rows.length === 0) return undefined;
  return {
    template: 'history',
    data: { history: rows },
    signals: { runs: labels, lo: accuracyFloor(rows.map((r) => r.accuracy)) },
  };
}

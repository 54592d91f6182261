// What each chart shows, as plain data for a template in src/charts/templates.ts. Pure functions
// of reports; drawing is src/charts/render.ts.
import type { Comparison } from '../results/compare.js';
import type { History } from '../results/history.js';
import { binaryAuc, rocCurve } from '../ml/metrics.js';
import { decodeProbabilities, rankModels, type OkModelReport, type Report } from '../results/report.js';
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

type Ranked = Pick<Report, 'models'> & { cv?: object | null; sortBy?: Report['sortBy'] };

const okModels = (report: Ranked): OkModelReport[] =>
  rankModels(report).filter((m): m is OkModelReport => m.status === 'ok');

/** Pixels between a model's test mark and its CV marks, so that equal scores stay apart. */
const TEST_DY = -7;
const CV_DY = 5;

/**
 * Accuracy (test, CV mean ± std, folds) and fit time per trained model, best first; `time` writes
 * a fit time as the page's tables do.
 */
export function overviewChart(report: Ranked, time: (ms: number) => string): ChartInput | undefined {
  const models = okModels(report);
  if (models.length === 0) return undefined;
  // Test above, CV below the row's centre when a model has both.
  const dy = (m: OkModelReport, kind: 'test' | 'cv') => (m.metrics && m.cv ? (kind === 'test' ? TEST_DY : CV_DY) : 0);
  const points = models.flatMap((m) => [
    ...(m.metrics
      ? [{ model: m.id, ...MARKERS.test, score: MARKERS.test.label, value: m.metrics.accuracy, dy: dy(m, 'test') }]
      : []),
    ...(m.cv
      ? [{ model: m.id, ...MARKERS.cv, score: MARKERS.cv.label, value: m.cv.accuracy.mean, dy: dy(m, 'cv') }]
      : []),
  ]);
  const spreads = models.flatMap((m) =>
    m.cv
      ? [
          {
            model: m.id,
            lo: Math.max(0, m.cv.accuracy.mean - m.cv.accuracy.std),
            hi: Math.min(1, m.cv.accuracy.mean + m.cv.accuracy.std),
            dy: dy(m, 'cv'),
          },
        ]
      : [],
  );
  // Folds staggered a pixel and a half apart: folds of equal accuracy read as a stack, not one tick.
  const folds = models.flatMap((m) =>
    m.cv
      ? m.cv.accuracy.folds.map((value, i, all) => ({
          model: m.id,
          fold: i + 1,
          value,
          dy: dy(m, 'cv') + (i - (all.length - 1) / 2) * 1.5,
        }))
      : [],
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

/** A colour between two, as #rrggbb: `t` = 0 gives `from`, 1 gives `to`. */
function mix(from: string, to: string, t: number): string {
  const channel = (hex: string, k: number) => parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16);
  return `#${[0, 1, 2]
    .map((k) =>
      Math.round(channel(from, k) + (channel(to, k) - channel(from, k)) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Cell colours of a confusion matrix: none, right (blue, by share of the largest), wrong (orange). */
export const CONFUSION_FILLS = {
  zero: '#f3f4f6',
  right: ['#c6dbef', '#08519c'],
  wrong: ['#fdc38d', '#c2410c'],
} as const;

/**
 * One model's confusion matrix on the test part, or undefined without one. A 0 is pale grey; a
 * right cell blue and a wrong one orange, each at least at a clearly visible shade however small
 * its count, darker as it nears the largest count of its kind.
 */
export function confusionChart(model: OkModelReport): ChartInput | undefined {
  if (!model.metrics) return undefined;
  const { labels, matrix } = model.metrics.confusionMatrix;
  const maxRight = Math.max(1, ...matrix.map((row, i) => row[i]!));
  const maxWrong = Math.max(1, ...matrix.flatMap((row, i) => row.filter((_, j) => j !== i)));
  const cells = matrix.flatMap((row, i) =>
    row.map((count, j) => {
      const share = count / (i === j ? maxRight : maxWrong);
      const [from, to] = i === j ? CONFUSION_FILLS.right : CONFUSION_FILLS.wrong;
      return {
        actual: labels[i],
        predicted: labels[j],
        count,
        fill: count === 0 ? CONFUSION_FILLS.zero : mix(from, to, share),
        dark: count > 0 && share > 0.55,
      };
    }),
  );
  return { template: 'confusion', data: { cells }, signals: { classes: labels } };
}

/** Most points a curve keeps for drawing: past that, every n-th (the ends always). */
const CURVE_POINTS = 400;

/**
 * ROC curves from the report's own probabilities: for two classes one per model that has them,
 * for more one per class (against the rest) of the best such model. On the test part, or, without
 * one, on the out-of-fold predictions of every CV fold pooled. Undefined when nothing can be drawn
 * (no model with probabilities, or a report written before they were recorded).
 */
/** What the ROC chart reads of a report: the run's rows and labels, and its models. */
export type RocSource = Ranked & {
  dataset: Pick<Report['dataset'], 'classes' | 'labels'>;
  split: Pick<Report['split'], 'test'>;
  cv: { testFolds: number[][] } | null;
};

export function rocChart(report: RocSource): ChartInput | undefined {
  const labels = report.dataset.labels;
  if (!labels) return undefined;
  const k = report.dataset.classes.length;
  const useTest = report.split.test.length > 0;
  const rowsOf = useTest ? report.split.test : (report.cv?.testFolds.flat() ?? []);
  const truth = rowsOf.map((r) => labels[r]!);
  const probaOf = (m: OkModelReport): Float64Array | undefined => {
    if (useTest) return m.probabilities ? decodeProbabilities(m.probabilities) : undefined;
    const folds = m.outOfFold?.probabilities;
    if (!folds) return undefined;
    const parts = folds.map(decodeProbabilities);
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const withProba = okModels(report).flatMap((m) => {
    const proba = probaOf(m);
    return proba && proba.length === truth.length * k ? [{ m, proba }] : [];
  });
  const curveOf = (series: string, c: number, proba: Float64Array) => {
    const positive = (i: number) => truth[i] === c;
    const score = (i: number) => proba[i * k + c]!;
    const curve = rocCurve(positive, score, truth.length);
    const auc = binaryAuc(positive, score, truth.length);
    if (!curve || auc === null) return undefined;
    return { series: `${series} (AUC ${auc.toFixed(3)})`, curve };
  };
  const curves =
    k === 2
      ? withProba.map(({ m, proba }) => curveOf(m.id, 1, proba))
      : withProba
          .slice(0, 1)
          .flatMap(({ m, proba }) => report.dataset.classes.map((name, c) => curveOf(`${name} vs rest`, c, proba)));
  const drawn = curves.filter((c): c is NonNullable<typeof c> => c !== undefined);
  if (drawn.length === 0) return undefined;
  const rows = drawn.flatMap(({ series, curve }) => {
    const n = curve.fpr.length;
    const step = Math.max(1, Math.ceil(n / CURVE_POINTS));
    return curve.fpr.flatMap((fpr, i) =>
      i % step === 0 || i === n - 1 ? [{ series, fpr, tpr: curve.tpr[i]!, order: i }] : [],
    );
  });
  return {
    template: 'roc',
    data: { curves: rows },
    signals: { series: drawn.map((d) => d.series) },
  };
}

/** Whose curves the ROC chart shows, in words for its caption. */
export function rocCaption(report: Report): string {
  const k = report.dataset.classes.length;
  const part = report.split.test.length > 0 ? 'the test part' : 'the out-of-fold predictions of every CV fold, pooled';
  const without = report.models.filter(
    (m) => m.status === 'ok' && !(report.split.test.length > 0 ? m.probabilities : m.outOfFold?.probabilities),
  );
  const best = okModels(report).find((m) =>
    report.split.test.length > 0 ? m.probabilities : m.outOfFold?.probabilities,
  );
  return `${k === 2 ? 'ROC curve of each model' : `ROC curve of each class against the rest, for ${best?.id ?? 'the best model'} (the best with probabilities)`} on ${part}; the dashed diagonal is guessing.${without.length ? ` No probabilities: ${without.map((m) => m.id).join(', ')}.` : ''}`;
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

/** How far apart, in runs, two models' points of one run sit at most. */
const HISTORY_SPREAD = 0.06;

/** Accuracy per model over time, a point per run. */
export function historyChart(h: History): ChartInput | undefined {
  // The run's number keeps labels unique when two runs start in the same minute.
  const labels = h.rows.map((r, i) => `${i + 1} · ${r.createdAt.slice(5, 16).replace('T', ' ')}`);
  // Models side by side within a run, centred on it, together a third of the space between runs at most.
  const spread = Math.min(HISTORY_SPREAD, 1 / 3 / Math.max(1, h.models.length - 1));
  const pos = (i: number, j: number) => i + (j - (h.models.length - 1) / 2) * spread;
  const rows = h.rows.flatMap((r, i) =>
    h.models.flatMap((model, j) => {
      const v = r.values[model];
      return typeof v === 'number' ? [{ run: r.runId, label: labels[i], model, accuracy: v, pos: pos(i, j) }] : [];
    }),
  );
  if (rows.length === 0) return undefined;
  return {
    template: 'history',
    data: { history: rows },
    signals: { runs: labels, lo: accuracyFloor(rows.map((r) => r.accuracy)) },
  };
}

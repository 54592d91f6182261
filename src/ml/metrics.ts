// The metrics table: each score defined once, with the direction that is better and whether it
// needs probabilities, as a pure function of true and predicted class indices (and probabilities).
// Reports, their schema, the leaderboard, compare and history all iterate over this table; how a
// metric is labelled and printed is format/columns.ts, and nothing else.

/** What a score is computed from: one task's true and predicted class indices. */
export interface MetricInputs {
  yTrue: readonly number[];
  yPred: readonly number[];
  /** rows x classes, row-major; absent when the model has no probabilities. */
  proba?: Float64Array;
  classes: number;
  /** matrix[i][j]: rows of true class i predicted as class j. */
  confusion: number[][];
  perClass: ClassMetrics[];
}

export interface MetricDefinition {
  /** The key in report.json. */
  id: string;
  better: 'higher' | 'lower';
  /** A model without probabilities cannot have it: it is null in JSON and n/a in text. */
  needsProbabilities: boolean;
  compute(inputs: MetricInputs): number;
}

export interface ClassMetrics {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

// 0/0 is 0, as scikit-learn's zero_division default reports it (with a warning we leave out).
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const mean = (values: readonly number[]) =>
  ratio(
    values.reduce((a, b) => a + b, 0),
    values.length,
  );

// Classes absent from the true labels do not count towards balanced accuracy, as in scikit-learn's
// balanced_accuracy_score; macro precision/recall/F1 average over classes present in either the
// true or the predicted labels, as its labels=None default does.
const present = (m: MetricInputs) => m.perClass.filter((c) => c.support > 0);
const seen = (m: MetricInputs) => m.perClass.filter((c, j) => c.support > 0 || m.confusion.some((row) => row[j]! > 0));

export const METRICS = [
  {
    id: 'accuracy',
    better: 'higher',
    needsProbabilities: false,
    compute: (m) =>
      ratio(
        m.confusion.reduce((sum, row, c) => sum + row[c]!, 0),
        m.yTrue.length,
      ),
  },
  {
    id: 'balancedAccuracy',
    better: 'higher',
    needsProbabilities: false,
    compute: (m) => mean(present(m).map((c) => c.recall)),
  },
  {
    id: 'macroPrecision',
    better: 'higher',
    needsProbabilities: false,
    compute: (m) => mean(seen(m).map((c) => c.precision)),
  },
  {
    id: 'macroRecall',
    better: 'higher',
    needsProbabilities: false,
    compute: (m) => mean(seen(m).map((c) => c.recall)),
  },
  {
    id: 'macroF1',
    better: 'higher',
    needsProbabilities: false,
    compute: (m) => mean(seen(m).map((c) => c.f1)),
  },
] as const satisfies readonly MetricDefinition[];

type Metric = (typeof METRICS)[number];
export type MetricId = Metric['id'];
/** Metrics of the predicted classes alone: every model that trained has them. */
export type LabelMetricId = Extract<Metric, { needsProbabilities: false }>['id'];
/** Metrics of probabilities: null for a model without them. */
export type ProbabilityMetricId = Exclude<MetricId, LabelMetricId>;
export const METRIC_IDS: readonly MetricId[] = METRICS.map((m) => m.id);

/** Measured, not computed from predictions: how long a fit and a predict took, in milliseconds. */
export const TIMINGS = [
  { id: 'fitMs', better: 'lower' },
  { id: 'predictMs', better: 'lower' },
] as const satisfies readonly Pick<MetricDefinition, 'id' | 'better'>[];

export type TimingId = (typeof TIMINGS)[number]['id'];

/** Whether a higher value of this score or timing is the better one. */
export function higherIsBetter(id: MetricId | TimingId): boolean {
  return (
    ([...METRICS, ...TIMINGS] as readonly { id: string; better: string }[]).find((m) => m.id === id)!.better ===
    'higher'
  );
}

/** Every score of the table: null where the model cannot have it. */
export type Scores = Record<LabelMetricId, number> & Record<ProbabilityMetricId, number | null>;

export interface Metrics extends Scores {
  perClass: ClassMetrics[];
  /** matrix[i][j]: rows of true class labels[i] predicted as labels[j]. */
  confusionMatrix: { labels: string[]; matrix: number[][] };
}

export function confusionMatrix(yTrue: readonly number[], yPred: readonly number[], classes: number): number[][] {
  if (yTrue.length !== yPred.length) throw new Error(`${yTrue.length} true labels but ${yPred.length} predictions`);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  yTrue.forEach((t, i) => {
    matrix[t]![yPred[i] as number]! += 1;
  });
  return matrix;
}

function perClassMetrics(matrix: number[][], classNames: readonly string[]): ClassMetrics[] {
  return classNames.map((name, c) => {
    const tp = matrix[c]![c]!;
    const support = matrix[c]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, row) => sum + row[c]!, 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { class: name, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
}

export function computeMetrics(
  yTrue: readonly number[],
  yPred: readonly number[],
  classNames: readonly string[],
  proba?: Float64Array,
): Metrics {
  const classes = classNames.length;
  const confusion = confusionMatrix(yTrue, yPred, classes);
  const perClass = perClassMetrics(confusion, classNames);
  const inputs: MetricInputs = { yTrue, yPred, classes, confusion, perClass, ...(proba ? { proba } : {}) };
  const scores = Object.fromEntries(
    METRICS.map((m) => [m.id, m.needsProbabilities && !proba ? null : m.compute(inputs)]),
  ) as Scores;
  return { ...scores, perClass, confusionMatrix: { labels: [...classNames], matrix: confusion } };
}

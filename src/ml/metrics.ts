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
  /**
   * Whether it can be null: for a model without the probabilities it needs, or on rows that leave
   * it undefined (where scikit-learn raises or returns nan, e.g. ROC AUC of a class absent from
   * the rows). A metric that is never null is typed as a plain number everywhere.
   */
  nullable: boolean;
  compute(inputs: MetricInputs): number | null;
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
/** scikit-learn's average='weighted': each class's value weighted by its true support. */
const weighted = (m: MetricInputs, value: (c: ClassMetrics) => number) =>
  ratio(
    m.perClass.reduce((sum, c) => sum + c.support * value(c), 0),
    m.yTrue.length,
  );

/**
 * Area under the ROC curve of `scores` for the rows where `positive` holds, as the Mann-Whitney
 * statistic with tied scores counted half (equal to scikit-learn's trapezoidal area); null when
 * the rows hold only positives or only negatives, where scikit-learn raises.
 */
export function binaryAuc(
  positive: (i: number) => boolean,
  scores: (i: number) => number,
  rows: number,
): number | null {
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => scores(a) - scores(b));
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < rows;) {
    let end = start + 1;
    while (end < rows && scores(order[end]!) === scores(order[start]!)) end++;
    // Ranks start..end-1 (1-based: start+1..end) share their mean.
    const rank = (start + 1 + end) / 2;
    for (let r = start; r < end; r++)
      if (positive(order[r]!)) {
        positives++;
        rankSum += rank;
      }
    start = end;
  }
  const negatives = rows - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** An ROC curve: false and true positive rates, from (0, 0) to (1, 1). */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
}

/**
 * The ROC curve of `scores` for the rows where `positive` holds: one point per distinct score
 * (highest first), with points on a straight line between their neighbours dropped, as
 * scikit-learn's roc_curve(drop_intermediate=True) does. Undefined without both kinds of rows.
 */
export function rocCurve(
  positive: (i: number) => boolean,
  scores: (i: number) => number,
  rows: number,
): RocCurve | undefined {
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => scores(b) - scores(a));
  const total = order.reduce((n, i) => n + (positive(i) ? 1 : 0), 0);
  if (total === 0 || total === rows) return undefined;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < rows;) {
    const score = scores(order[r]!);
    for (; r < rows && scores(order[r]!) === score; r++) positive(order[r]!) ? tp++ : fp++;
    const x = fp / (rows - total);
    const y = tp / total;
    const n = fpr.length;
    // The last point lies on the line from the one before it to this one: drop it.
    if (n >= 2 && (fpr[n - 1]! - fpr[n - 2]!) * (y - tpr[n - 2]!) === (x - fpr[n - 2]!) * (tpr[n - 1]! - tpr[n - 2]!)) {
      fpr[n - 1] = x;
      tpr[n - 1] = y;
    } else {
      fpr.push(x);
      tpr.push(y);
    }
  }
  return { fpr, tpr };
}

/**
 * One-vs-rest ROC AUC per class (scikit-learn's roc_auc_score(multi_class='ovr')), averaged by
 * `weights`; for two classes the plain AUC of the second class's probability. Null when a class
 * has no rows (or every row), as scikit-learn raises there.
 */
function rocAuc(m: MetricInputs, average: 'macro' | 'weighted'): number | null {
  const proba = m.proba!;
  const k = m.classes;
  const rows = m.yTrue.length;
  const aucOf = (c: number) =>
    binaryAuc(
      (i) => m.yTrue[i] === c,
      (i) => proba[i * k + c]!,
      rows,
    );
  if (k === 2) return aucOf(1);
  let sum = 0;
  let weight = 0;
  for (let c = 0; c < k; c++) {
    const auc = aucOf(c);
    if (auc === null) return null;
    const w = average === 'macro' ? 1 : m.perClass[c]!.support;
    sum += w * auc;
    weight += w;
  }
  return sum / weight;
}

/** The smallest probability log loss takes the log of, as scikit-learn's eps=1e-15. */
export const LOG_LOSS_EPS = 1e-15;

/**
 * Mean negative log-likelihood of the true class: probabilities clipped to [eps, 1 - eps] and each
 * row renormalized, as scikit-learn's log_loss(eps=1e-15).
 */
function logLoss(m: MetricInputs): number | null {
  const proba = m.proba!;
  const k = m.classes;
  const rows = m.yTrue.length;
  if (rows === 0) return null;
  const clip = (p: number) => Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p));
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += clip(proba[i * k + c]!);
    total -= Math.log(clip(proba[i * k + m.yTrue[i]!]!) / sum);
  }
  return total / rows;
}

/** Row and column sums of the confusion matrix: true and predicted counts per class. */
function margins(m: MetricInputs) {
  const truth = m.confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = m.confusion.map((_, j) => m.confusion.reduce((sum, row) => sum + row[j]!, 0));
  const correct = m.confusion.reduce((sum, row, c) => sum + row[c]!, 0);
  return { truth, predicted, correct, n: m.yTrue.length };
}

/** Cohen's kappa, as scikit-learn's cohen_kappa_score (unweighted); null where it is 0/0 (nan there). */
function kappa(m: MetricInputs): number | null {
  const { truth, predicted, n } = margins(m);
  if (n === 0) return null;
  let observed = 0;
  let expected = 0;
  m.confusion.forEach((row, i) =>
    row.forEach((count, j) => {
      if (i === j) return;
      observed += count;
      expected += (predicted[i]! * truth[j]!) / n;
    }),
  );
  return expected === 0 ? null : 1 - observed / expected;
}

/** Matthews correlation, multi-class (Gorodkin's R_K), as scikit-learn's matthews_corrcoef: 0 where undefined. */
function matthews(m: MetricInputs): number {
  const { truth, predicted, correct, n } = margins(m);
  const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
  const covTP = correct * n - dot(truth, predicted);
  const covPP = n * n - dot(predicted, predicted);
  const covTT = n * n - dot(truth, truth);
  return covPP * covTT === 0 ? 0 : covTP / Math.sqrt(covTT * covPP);
}

export const METRICS = [
  {
    id: 'accuracy',
    better: 'higher',
    needsProbabilities: false,
    nullable: false,
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
    nullable: false,
    compute: (m) => mean(present(m).map((c) => c.recall)),
  },
  {
    id: 'macroPrecision',
    better: 'higher',
    needsProbabilities: false,
    nullable: false,
    compute: (m) => mean(seen(m).map((c) => c.precision)),
  },
  {
    id: 'macroRecall',
    better: 'higher',
    needsProbabilities: false,
    nullable: false,
    compute: (m) => mean(seen(m).map((c) => c.recall)),
  },
  {
    id: 'macroF1',
    better: 'higher',
    needsProbabilities: false,
    nullable: false,
    compute: (m) => mean(seen(m).map((c) => c.f1)),
  },
  {
    id: 'weightedPrecision',
    better: 'higher',
    needsProbabilities: false,
    nullable: false,
    compute: (m) => weighted(m, (c) => c.precision),
  },
  {
    id: 'weightedRecall',
    better: 'higher',
    needsProbabilities: false,
    nullable: false,
    compute: (m) => weighted(m, (c) => c.recall),
  },
  {
    id: 'weightedF1',
    better: 'higher',
    needsProbabilities: false,
    nullable: false,
    compute: (m) => weighted(m, (c) => c.f1),
  },
  { id: 'kappa', better: 'higher', needsProbabilities: false, nullable: true, compute: kappa },
  { id: 'mcc', better: 'higher', needsProbabilities: false, nullable: false, compute: matthews },
  {
    id: 'rocAuc',
    better: 'higher',
    needsProbabilities: true,
    nullable: true,
    compute: (m) => rocAuc(m, 'macro'),
  },
  {
    id: 'rocAucWeighted',
    better: 'higher',
    needsProbabilities: true,
    nullable: true,
    compute: (m) => rocAuc(m, 'weighted'),
  },
  { id: 'logLoss', better: 'lower', needsProbabilities: true, nullable: true, compute: logLoss },
] as const satisfies readonly MetricDefinition[];

type Metric = (typeof METRICS)[number];
export type MetricId = Metric['id'];
/** Metrics every model that trained has, on any rows: always a number. */
export type DefinedMetricId = Extract<Metric, { nullable: false }>['id'];
/** Metrics that can be null: of probabilities (a model may have none), or undefined on some rows. */
export type NullableMetricId = Exclude<MetricId, DefinedMetricId>;
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
export type Scores = Record<DefinedMetricId, number> & Record<NullableMetricId, number | null>;

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

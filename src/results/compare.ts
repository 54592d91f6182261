// Comparing two runs: per-model metric deltas, the settings that differ, and whether the two are
// like for like at all. Pure functions of two reports; the compare command prints and writes them.
import { higherIsBetter, METRIC_IDS, TIMINGS } from '../ml/metrics.js';
import type { PairedTest } from '../ml/stats.js';
import { foldRatio, pairedFolds, pairedPredictions, testLabels } from './leaderboard.js';
import { measureValue, sameMeasure, type Measure, type ModelReport, type Report } from './report.js';

export { sameMeasure, type Measure };

export const MEASURES: readonly Measure[] = [
  ...METRIC_IDS.map((id) => ({ scope: 'test' as const, id })),
  ...METRIC_IDS.map((id) => ({ scope: 'cv' as const, id })),
  ...TIMINGS.map(({ id }) => ({ scope: 'timing' as const, id })),
];

export interface MetricDelta {
  measure: Measure;
  /** undefined: no such value (not trained, no test part, no CV); null: the model cannot have it. */
  a?: number | null;
  b?: number | null;
  /** b - a, when both are there. */
  delta?: number;
  higherIsBetter: boolean;
}

export interface ModelComparison {
  id: string;
  a?: ModelReport;
  b?: ModelReport;
  metrics: MetricDelta[];
  /** The accuracy the regression check uses: test accuracy, or CV mean when either run has no test part. */
  accuracy: MetricDelta;
  /** Percentage points B lost against A (positive: worse); Infinity when B failed where A trained. */
  drop?: number;
  /**
   * Paired tests of accuracy, B against A: on the CV folds (the same folds in both runs), and
   * McNemar's on the test rows (the same rows, with their labels).
   */
  tests: { cv?: PairedTest; test?: PairedTest };
  /** The p-value of the test on `accuracy`'s own measure, when there is one. */
  p?: number;
  /** A drop beyond float noise (and, with a significance level, a significant one). */
  regression: boolean;
  note?: string;
}

export interface SettingDiff {
  setting: string;
  a: string;
  b: string;
}

export interface Comparison {
  a: Report;
  b: Report;
  /** Same data (by content hash) and same split: only then are deltas about the models alone. */
  sameData: boolean;
  sameSplit: boolean;
  /** One line each: why the two runs are not like for like. */
  problems: string[];
  /** Both runs have CV on the same folds of the same data: CV scores can be paired fold by fold. */
  sameFolds: boolean;
  /** The significance level a drop must reach to count as a regression, when one was asked for. */
  alpha?: number;
  models: ModelComparison[];
  settings: SettingDiff[];
}

const sameRows = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
const short = (sha: string) => `${sha.slice(0, 12)}…`;

function delta(measure: Measure, a: number | null | undefined, b: number | null | undefined): MetricDelta {
  return {
    measure,
    ...(a !== undefined ? { a } : {}),
    ...(b !== undefined ? { b } : {}),
    ...(typeof a === 'number' && typeof b === 'number' ? { delta: b - a } : {}),
    higherIsBetter: higherIsBetter(measure.id),
  };
}

/** What the paired tests of one model need from the two runs. */
interface Pairing {
  useTest: boolean;
  /** The folds are the same: CV scores pair fold by fold, with this test/train ratio. */
  foldRatio?: number;
  /** The true class of each test row, when the rows are the same and a run recorded labels. */
  labels?: number[];
  alpha?: number;
}

function compareModel(
  id: string,
  a: ModelReport | undefined,
  b: ModelReport | undefined,
  pairing: Pairing,
): ModelComparison {
  const metrics = MEASURES.map((measure) => delta(measure, measureValue(a, measure), measureValue(b, measure)));
  const accuracy = metrics.find((d) =>
    sameMeasure(d.measure, { scope: pairing.useTest ? 'test' : 'cv', id: 'accuracy' }),
  )!;
  const cvTest = pairing.foldRatio === undefined ? undefined : pairedFolds(a, b, 'accuracy', pairing.foldRatio);
  const testTest = pairedPredictions(a, b, pairing.labels);
  const tests = { ...(cvTest ? { cv: cvTest } : {}), ...(testTest ? { test: testTest } : {}) };
  const p = (pairing.useTest ? testTest : cvTest)?.p;
  const base = { id, ...(a ? { a } : {}), ...(b ? { b } : {}), metrics, accuracy, tests, ...(p !== undefined ? { p } : {}) };
  if (!a) return { ...base, regression: false, note: 'only in B' };
  if (!b) return { ...base, regression: false, note: 'only in A' };
  if (a.status === 'ok' && b.status === 'failed')
    return { ...base, drop: Infinity, regression: true, note: `failed in B: ${b.error.message}` };
  if (a.status === 'failed' && b.status === 'ok') return { ...base, regression: false, note: 'failed in A' };
  if (a.status === 'failed' && b.status === 'failed') return { ...base, regression: false, note: 'failed in both' };
  // A run stopped before the model finished says nothing about the model.
  if (a.status === 'not-run' || b.status === 'not-run')
    return { ...base, regression: false, note: `not run in ${a.status === 'not-run' ? (b.status === 'not-run' ? 'both' : 'A') : 'B'}` };
  if (accuracy.delta === undefined) return { ...base, regression: false };
  const drop = -accuracy.delta * 100;
  // Accuracies are ratios of small counts: a drop below float noise is no drop.
  if (!(drop > 1e-9)) return { ...base, drop, regression: false };
  if (pairing.alpha === undefined) return { ...base, drop, regression: true };
  // Asked for significance but no paired test is possible: the drop counts, and says why.
  if (p === undefined)
    return {
      ...base,
      drop,
      regression: true,
      note: `not tested for significance: ${pairing.useTest ? 'no labels of the test rows in either report (written before they were recorded)' : 'the runs do not share their CV folds'}`,
    };
  return { ...base, drop, regression: p < pairing.alpha };
}

const text = (v: unknown): string => (v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v));

/** The settings of a run, flattened to `name → value` for diffing. */
export function settingsOf(r: Report): Map<string, string> {
  const s = new Map<string, string>();
  s.set('data set', r.dataset.name);
  s.set('data source', r.dataset.source);
  s.set('data sha256', r.dataset.sha256);
  s.set('data shape', `${r.dataset.rows} × ${r.dataset.features}`);
  s.set('classes', r.dataset.classes.join(', '));
  s.set('seed', String(r.split.seed));
  s.set(
    'split',
    r.split.file
      ? `file ${r.split.file}`
      : `${r.split.stratified ? 'stratified' : 'random'}, test size ${r.split.testSize}`,
  );
  s.set('train / test rows', `${r.split.train.length} / ${r.split.test.length}`);
  s.set('cross-validation', r.cv ? `${r.cv.k} folds${r.cv.file ? ` from ${r.cv.file}` : ''}` : 'none');
  s.set('tune', String(r.tune));
  s.set('threads', String(r.threads));
  s.set('Node.js', r.nodeVersion);
  for (const [name, version] of Object.entries(r.versions)) s.set(`version ${name}`, version);
  s.set('models', r.models.map((m) => m.id).join(', '));
  for (const m of r.models) {
    s.set(`${m.id} params`, text(m.params));
    s.set(`${m.id} preprocessing`, m.preprocess);
  }
  return s;
}

const sameFoldsOf = (a: Report, b: Report) =>
  a.cv !== null &&
  b.cv !== null &&
  a.cv.testFolds.length === b.cv.testFolds.length &&
  a.cv.testFolds.every((f, i) => sameRows(f, b.cv!.testFolds[i]!));

/** `alpha`: a drop counts as a regression only when its paired test's p-value is below it. */
export function compareReports(a: Report, b: Report, options: { alpha?: number } = {}): Comparison {
  const sameData = a.dataset.sha256 === b.dataset.sha256;
  const sameSplit = sameData && sameRows(a.split.train, b.split.train) && sameRows(a.split.test, b.split.test);
  const problems: string[] = [];
  if (!sameData)
    problems.push(
      `different data: A is ${a.dataset.name} (sha256 ${short(a.dataset.sha256)}, ${a.dataset.rows} rows), B is ${b.dataset.name} (sha256 ${short(b.dataset.sha256)}, ${b.dataset.rows} rows)`,
    );
  else if (!sameSplit)
    problems.push(
      `different split: the test rows differ (A: seed ${a.split.seed}${a.split.file ? `, ${a.split.file}` : ''}, ${a.split.test.length} test rows; B: seed ${b.split.seed}${b.split.file ? `, ${b.split.file}` : ''}, ${b.split.test.length} test rows), so deltas mix model changes with split noise`,
    );
  else if (a.cv && b.cv && !sameFoldsOf(a, b))
    problems.push('different CV folds: CV deltas mix model changes with fold noise (test rows are the same)');
  const sameFolds = sameSplit && sameFoldsOf(a, b);

  // Test accuracy when both runs have a test part (on the same rows it is the sharper measure).
  const useTest = a.split.test.length > 0 && b.split.test.length > 0;
  // The same data: either run's labels are the other's.
  const labels = sameSplit ? (testLabels(b) ?? testLabels(a)) : undefined;
  const pairing: Pairing = {
    useTest,
    ...(sameFolds ? { foldRatio: foldRatio(b) } : {}),
    ...(labels ? { labels } : {}),
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
  };
  const ids = [...new Set([...a.models.map((m) => m.id), ...b.models.map((m) => m.id)])];
  const models = ids.map((id) =>
    compareModel(
      id,
      a.models.find((m) => m.id === id),
      b.models.find((m) => m.id === id),
      pairing,
    ),
  );

  const sa = settingsOf(a);
  const sb = settingsOf(b);
  const settings: SettingDiff[] = [];
  for (const key of new Set([...sa.keys(), ...sb.keys()])) {
    const va = sa.get(key) ?? '-';
    const vb = sb.get(key) ?? '-';
    if (va !== vb) settings.push({ setting: key, a: va, b: vb });
  }
  return {
    a,
    b,
    sameData,
    sameSplit,
    problems,
    sameFolds,
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    models,
    settings,
  };
}

/** Models whose accuracy dropped by more than `points` percentage points. */
export function regressionsBeyond(c: Comparison, points: number): ModelComparison[] {
  return c.models.filter((m) => m.regression && (m.drop ?? 0) > points);
}

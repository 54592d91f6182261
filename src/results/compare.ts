// Comparing two runs: per-model metric deltas, the settings that differ, and whether the two are
// like for like at all. Pure functions of two reports; the compare command prints and writes them.
import { higherIsBetter, METRIC_IDS, TIMINGS, type MetricId, type TimingId } from '../ml/metrics.js';
import type { ModelReport, Report } from './report.js';

/** What is compared: a metric on the test part, a metric's CV mean, or a timing of the final fit. */
export type Measure = { scope: 'test' | 'cv'; id: MetricId } | { scope: 'timing'; id: TimingId };

export const MEASURES: readonly Measure[] = [
  ...METRIC_IDS.map((id) => ({ scope: 'test' as const, id })),
  ...METRIC_IDS.map((id) => ({ scope: 'cv' as const, id })),
  ...TIMINGS.map(({ id }) => ({ scope: 'timing' as const, id })),
];

export const sameMeasure = (x: Measure, y: Measure) => x.scope === y.scope && x.id === y.id;

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
  models: ModelComparison[];
  settings: SettingDiff[];
}

const sameRows = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
const short = (sha: string) => `${sha.slice(0, 12)}…`;

function valueOf(m: ModelReport | undefined, measure: Measure): number | null | undefined {
  if (m?.status !== 'ok') return undefined;
  if (measure.scope === 'timing') return m.timings[measure.id];
  if (measure.scope === 'test') return m.metrics?.[measure.id];
  const summary = m.cv?.[measure.id];
  return summary === undefined ? undefined : summary === null ? null : summary.mean;
}

function delta(measure: Measure, a: number | null | undefined, b: number | null | undefined): MetricDelta {
  return {
    measure,
    ...(a !== undefined ? { a } : {}),
    ...(b !== undefined ? { b } : {}),
    ...(typeof a === 'number' && typeof b === 'number' ? { delta: b - a } : {}),
    higherIsBetter: higherIsBetter(measure.id),
  };
}

function compareModel(
  id: string,
  a: ModelReport | undefined,
  b: ModelReport | undefined,
  useTest: boolean,
): ModelComparison {
  const metrics = MEASURES.map((measure) => delta(measure, valueOf(a, measure), valueOf(b, measure)));
  const accuracy = metrics.find((d) => sameMeasure(d.measure, { scope: useTest ? 'test' : 'cv', id: 'accuracy' }))!;
  const base = { id, ...(a ? { a } : {}), ...(b ? { b } : {}), metrics, accuracy };
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
  return { ...base, drop, regression: drop > 1e-9 };
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

export function compareReports(a: Report, b: Report): Comparison {
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
  else if (
    a.cv &&
    b.cv &&
    !(
      a.cv.testFolds.length === b.cv.testFolds.length &&
      a.cv.testFolds.every((f, i) => sameRows(f, b.cv!.testFolds[i]!))
    )
  )
    problems.push('different CV folds: CV deltas mix model changes with fold noise (test rows are the same)');

  // Test accuracy when both runs have a test part (on the same rows it is the sharper measure).
  const useTest = a.split.test.length > 0 && b.split.test.length > 0;
  const ids = [...new Set([...a.models.map((m) => m.id), ...b.models.map((m) => m.id)])];
  const models = ids.map((id) =>
    compareModel(
      id,
      a.models.find((m) => m.id === id),
      b.models.find((m) => m.id === id),
      useTest,
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
  return { a, b, sameData, sameSplit, problems, models, settings };
}

/** Models whose accuracy dropped by more than `points` percentage points. */
export function regressionsBeyond(c: Comparison, points: number): ModelComparison[] {
  return c.models.filter((m) => m.regression && (m.drop ?? 0) > points);
}

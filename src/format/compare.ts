// A comparison of two runs, for the console and as a page. Pure.
import { MARKERS } from '../charts/inputs.js';
import {
  MEASURES,
  sameMeasure,
  type Comparison,
  type Measure,
  type MetricDelta,
  type ModelComparison,
} from '../results/compare.js';
import type { Report } from '../results/report.js';
import type { MetricId } from '../ml/metrics.js';
import { COLUMNS, formatValue } from './columns.js';
import type { Colors } from './console.js';
import { esc, page, raw, swatch, table, type Cell, type Column } from './html-page.js';
import { measureLabel } from './text.js';

/** The test metrics whose change the console shows beside accuracy's. */
const DELTA_METRICS: readonly MetricId[] = ['rocAuc', 'weightedF1', 'mcc'];
const pValue = (p: number | undefined) => (p === undefined ? '-' : p < 0.001 ? '<0.001' : p.toFixed(p < 0.01 ? 3 : 2));

const points = (d: number | undefined) =>
  d === undefined ? '-' : `${d > 0 ? '+' : d < 0 ? '-' : ''}${Math.abs(d * 100).toFixed(1)}`;
const when = (r: Report) => r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

const value = (d: MetricDelta, v: number | null | undefined) => formatValue(d.measure.id, v);
const deltaOf = (m: ModelComparison, measure: Measure) => m.metrics.find((d) => sameMeasure(d.measure, measure))!;

/** Whether the delta is an improvement (1), a loss (-1) or neither (0). */
function direction(d: MetricDelta): -1 | 0 | 1 {
  if (d.delta === undefined || Math.abs(d.delta) < 1e-12) return 0;
  return d.delta > 0 === d.higherIsBetter ? 1 : -1;
}

function runLine(label: string, r: Report): string {
  return `${label}  ${r.runId}  ${when(r)}  ${r.dataset.name}, seed ${r.split.seed}${r.cv ? `, ${r.cv.k}-fold CV` : ''}${r.tune ? ', tuned' : ''}`;
}

export interface CompareVerdict {
  /** --fail-on-regression's threshold in points, when given. */
  threshold?: number;
  failing: ModelComparison[];
}

/** The comparison as console text: runs, the loud not-like-for-like banner, deltas, settings. */
export function formatCompareText(c: Comparison, col: Colors, verdict: CompareVerdict): string {
  const out: string[] = [col.dim(runLine('A', c.a)), runLine('B', c.b), ''];
  for (const p of c.problems) out.push(col.bold(col.red(`NOT LIKE FOR LIKE: ${p}`)));
  if (!c.sameData)
    out.push(col.red('The models are shown side by side, without deltas: compare runs on the same data set.'));
  if (c.problems.length) out.push('');

  const accScope = c.models[0]?.accuracy.measure.scope ?? 'test';
  const has = (measure: Measure) =>
    c.models.some((x) => {
      const d = deltaOf(x, measure);
      return d.a !== undefined || d.b !== undefined;
    });
  const arrow = (d: MetricDelta) => {
    const dir = direction(d);
    return dir > 0 ? col.green('▲') : dir < 0 ? col.red('▼') : ' ';
  };
  const deltaText = (d: MetricDelta) => (d.delta === undefined ? '' : `${points(d.delta)} ${arrow(d)}`);
  // Accuracies show "A → B  Δ"; the console's other metrics only their Δ; times only A → B.
  const pair = (m: ModelComparison, measure: Measure) => {
    const d = deltaOf(m, measure);
    return `${value(d, d.a)} → ${value(d, d.b)}`;
  };
  const full = (measure: Measure) => (m: ModelComparison) => {
    const d = deltaOf(m, measure);
    return c.sameData && d.delta !== undefined ? `${pair(m, measure)}  ${deltaText(d)}` : pair(m, measure);
  };
  const onlyDelta = (measure: Measure) => (m: ModelComparison) => {
    const d = deltaOf(m, measure);
    return d.delta === undefined ? (d.a === null || d.b === null ? 'n/a' : '-') : deltaText(d);
  };
  const testAccuracy: Measure = { scope: 'test', id: 'accuracy' };
  const cvAccuracy: Measure = { scope: 'cv', id: 'accuracy' };
  const others = DELTA_METRICS.map((id): Measure => ({ scope: 'test', id }));
  const hasP = (kind: 'cv' | 'test') => c.models.some((m) => m.tests[kind] !== undefined);
  const fit: Measure = { scope: 'timing', id: 'fitMs' };
  const columns: { head: string; cell: (m: ModelComparison) => string }[] = [
    { head: 'model', cell: (m) => m.id },
    ...(has(testAccuracy) ? [{ head: measureLabel(testAccuracy), cell: full(testAccuracy) }] : []),
    ...others
      .filter((measure) => c.sameData && has(measure))
      .map((measure) => ({ head: `${COLUMNS[measure.id].short} Δ`, cell: onlyDelta(measure) })),
    ...(has(cvAccuracy) ? [{ head: measureLabel(cvAccuracy), cell: full(cvAccuracy) }] : []),
    ...(hasP('cv') ? [{ head: 'p (CV)', cell: (m: ModelComparison) => pValue(m.tests.cv?.p) }] : []),
    ...(hasP('test') ? [{ head: 'p (test)', cell: (m: ModelComparison) => pValue(m.tests.test?.p) }] : []),
    { head: measureLabel(fit), cell: (m: ModelComparison) => pair(m, fit) },
    {
      head: '',
      cell: (m) =>
        [
          ...(c.sameData && m.regression
            ? [col.red(`regression (${accScope === 'test' ? 'test' : 'CV'} ${COLUMNS.accuracy.label})`)]
            : []),
          ...(c.sameData && !m.regression && c.alpha !== undefined && (m.drop ?? 0) > 1e-9 && m.p !== undefined
            ? [col.yellow(`drop not significant (p ${pValue(m.p)} ≥ ${c.alpha})`)]
            : []),
          ...(m.note ? [m.note] : []),
        ].join('; '),
    },
  ];
  // Widths without colour codes.
  const visible = (x: string) => [...x.replace(/\x1b\[[0-9;]*m/g, '')].length;
  const cells = c.models.map((m) => columns.map((colm) => colm.cell(m)));
  const widths = columns.map((colm, i) => Math.max(colm.head.length, ...cells.map((r) => visible(r[i]!))));
  const line = (r: string[]) =>
    r
      .map((x, i) => x + ' '.repeat(widths[i]! - visible(x)))
      .join('   ')
      .trimEnd();
  out.push(col.bold(line(columns.map((colm) => colm.head))));
  for (const r of cells) out.push(line(r));
  if (c.sameData) out.push(col.dim('Δ in percentage points, B minus A; ▲ better, ▼ worse'));
  if (hasP('cv') || hasP('test'))
    out.push(
      col.dim(
        `p: two-sided paired test of accuracy, B against A${hasP('cv') ? '; CV: Nadeau-Bengio corrected resampled t-test on the shared folds' : ''}${hasP('test') ? "; test: McNemar's exact test on the test rows" : ''}`,
      ),
    );

  out.push('');
  if (c.settings.length === 0) out.push(col.dim('settings: the same'));
  else {
    out.push(col.bold('settings that differ (A → B):'));
    const w = Math.max(...c.settings.map((s) => s.setting.length));
    for (const s of c.settings) out.push(`  ${s.setting.padEnd(w)}  ${s.a} → ${s.b}`);
  }

  if (c.sameData) {
    const regressions = c.models.filter((m) => m.regression);
    out.push('');
    out.push(
      regressions.length === 0
        ? col.green(c.alpha === undefined ? 'no model got worse' : `no model got significantly worse (α = ${c.alpha})`)
        : col.red(
            `${regressions.length} model${regressions.length > 1 ? 's' : ''} got ${c.alpha === undefined ? '' : 'significantly '}worse: ${regressions
              .map(
                (m) =>
                  `${m.id} ${m.drop === Infinity ? 'failed' : `${points(-m.drop! / 100)} pts${m.p !== undefined ? ` (p ${pValue(m.p)})` : ''}`}`,
              )
              .join(', ')}`,
          ),
    );
    if (verdict.threshold !== undefined)
      out.push(
        verdict.failing.length
          ? col.red(
              `--fail-on-regression ${verdict.threshold}: failing (${verdict.failing.map((m) => m.id).join(', ')})`,
            )
          : col.green(`--fail-on-regression ${verdict.threshold}: passing`),
      );
  }
  return out.join('\n');
}

/** The comparison as a self-contained page. */
export function formatCompareHtml(c: Comparison, chart: string | undefined, chartError?: string): string {
  const card = (label: string, r: Report) =>
    `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(r.runId)}</div><div class="sub">${esc(
      `${when(r)} · ${r.dataset.name} · seed ${r.split.seed}${r.cv ? ` · ${r.cv.k}-fold CV` : ''}`,
    )}</div></div>`;
  const has = (measure: Measure) =>
    c.models.some((x) => {
      const d = deltaOf(x, measure);
      return d.a !== undefined || d.b !== undefined;
    });
  const deltaHtml = (d: MetricDelta) => {
    if (d.delta === undefined || !c.sameData) return '';
    const dir = direction(d);
    return ` <span class="${dir > 0 ? 'good' : dir < 0 ? 'regress' : 'muted'}">${esc(points(d.delta))}${dir > 0 ? ' ▲' : dir < 0 ? ' ▼' : ''}</span>`;
  };
  // One row per model and measure (each metric on the test part and as a CV mean, the timings)
  // that either run has: a table as narrow as the page however many metrics there are.
  const measures = MEASURES.filter(has);
  const columns: Column[] = [
    { head: 'model' },
    { head: 'measure' },
    { head: 'A', num: true },
    { head: 'B', num: true },
    { head: 'Δ', num: true },
    { head: 'p', num: true },
    { head: 'note' },
  ];
  const pOf = (m: ModelComparison, measure: Measure) =>
    measure.id !== 'accuracy'
      ? ''
      : pValue(measure.scope === 'cv' ? m.tests.cv?.p : measure.scope === 'test' ? m.tests.test?.p : undefined);
  const rows = c.models.flatMap((m) =>
    measures.map((measure, i): Cell[] => {
      const d = deltaOf(m, measure);
      return [
        i === 0 ? raw(`<strong>${esc(m.id)}</strong>`) : '',
        measureLabel(measure),
        value(d, d.a),
        value(d, d.b),
        raw(measure.scope === 'timing' ? '' : deltaHtml(d).trim()),
        pOf(m, measure).replace(/^-$/, ''),
        i === 0
          ? raw(
              [
                ...(c.sameData && m.regression ? ['<span class="badge bad">regression</span>'] : []),
                ...(m.note ? [esc(m.note)] : []),
              ].join(' '),
            )
          : '',
      ];
    }),
  );
  const body = [
    `<h1>${esc(c.a.dataset.name === c.b.dataset.name ? c.a.dataset.name : `${c.a.dataset.name} vs ${c.b.dataset.name}`)} <span class="muted">comparison of two runs</span></h1>`,
    `<div class="cards">${card('run A (before)', c.a)}${card('run B (after)', c.b)}</div>`,
    ...c.problems.map(
      (p) => `<div class="banner">Not like for like: ${esc(p)}.${c.sameData ? '' : ' No deltas are shown.'}</div>`,
    ),
    '<h2>Accuracy, A → B</h2>',
    chart
      ? `<div class="legend">${swatch(MARKERS.runA.color, 'run A')}${swatch(MARKERS.runB.color, 'run B')}${
          c.sameData ? `${swatch(MARKERS.better, 'better', 'line')}${swatch(MARKERS.worse, 'worse', 'line')}` : ''
        }</div><figure class="chart" data-chart="compare">${chart}<figcaption>${esc(
          measureLabel(c.models[0]?.accuracy.measure ?? { scope: 'test', id: 'accuracy' }),
        )} per model in each run; the axis starts near the lowest score.</figcaption></figure>`
      : `<p class="muted">${esc(chartError ? `No chart: ${chartError}` : 'No model has an accuracy in both runs.')}</p>`,
    '<h2>Per model</h2>',
    table(columns, rows),
    c.sameData
      ? '<p class="muted">Δ in percentage points, B minus A; ▲ better, ▼ worse. p: two-sided paired test of accuracy, B against A (CV: Nadeau-Bengio corrected resampled t-test on the shared folds; test: McNemar\'s exact test on the test rows).</p>'
      : '',
    '<h2>Settings that differ</h2>',
    c.settings.length
      ? table(
          [{ head: 'setting' }, { head: 'A' }, { head: 'B' }],
          c.settings.map((s) => [s.setting, s.a, s.b]),
          // Long values (a model's params as JSON) wrap inside the page instead of widening it.
          'wide wrap',
        )
      : '<p class="muted">None: the two runs were made with the same settings.</p>',
  ].join('\n');
  return page(`compare ${c.a.runId} → ${c.b.runId}`, body, `trainpool ${c.b.versions['trainpool'] ?? ''}`.trim());
}

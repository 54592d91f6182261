// A comparison of two runs, for the console and as a page. Pure.
import { MARKERS } from '../charts/inputs.js';
import type { Comparison, MetricDelta, MetricName, ModelComparison } from '../results/compare.js';
import type { Report } from '../results/report.js';
import type { Colors } from './console.js';
import { esc, page, raw, swatch, table, type Cell, type Column } from './html-page.js';
import { fixed, ms } from './text.js';

const points = (d: number | undefined) =>
  d === undefined ? '-' : `${d > 0 ? '+' : d < 0 ? '-' : ''}${Math.abs(d * 100).toFixed(1)}`;
const value = (m: MetricName, v: number | undefined) => (m === 'fitMs' ? ms(v) : fixed(v));
const when = (r: Report) => r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

export const METRIC_LABELS: Record<MetricName, string> = {
  accuracy: 'test accuracy',
  balancedAccuracy: 'balanced acc.',
  macroF1: 'macro F1',
  cvAccuracy: 'CV accuracy',
  fitMs: 'fit ms',
};

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

  const accName = c.models[0]?.accuracy.metric ?? 'accuracy';
  const has = (name: MetricName) =>
    c.models.some((x) => x.metrics.find((d) => d.metric === name && (d.a !== undefined || d.b !== undefined)));
  const arrow = (d: MetricDelta) => {
    const dir = direction(d);
    return dir > 0 ? col.green('▲') : dir < 0 ? col.red('▼') : ' ';
  };
  const deltaText = (d: MetricDelta) => (d.delta === undefined ? '' : `${points(d.delta)} ${arrow(d)}`);
  // Accuracy-like columns show "A → B  Δ"; balanced accuracy and macro F1 only their Δ.
  const full = (name: MetricName) => (m: ModelComparison) => {
    const d = m.metrics.find((x) => x.metric === name)!;
    const pair = `${value(name, d.a)} → ${value(name, d.b)}`;
    return c.sameData && d.delta !== undefined ? `${pair}  ${deltaText(d)}` : pair;
  };
  const onlyDelta = (name: MetricName) => (m: ModelComparison) => {
    const d = m.metrics.find((x) => x.metric === name)!;
    return d.delta === undefined ? '-' : deltaText(d);
  };
  const columns: { head: string; cell: (m: ModelComparison) => string }[] = [
    { head: 'model', cell: (m) => m.id },
    ...(has('accuracy') ? [{ head: 'test accuracy', cell: full('accuracy') }] : []),
    ...(c.sameData && has('balancedAccuracy') ? [{ head: 'bal. acc. Δ', cell: onlyDelta('balancedAccuracy') }] : []),
    ...(c.sameData && has('macroF1') ? [{ head: 'macro F1 Δ', cell: onlyDelta('macroF1') }] : []),
    ...(has('cvAccuracy') ? [{ head: 'CV accuracy', cell: full('cvAccuracy') }] : []),
    { head: 'fit ms', cell: (m) => full('fitMs')(m).split('  ')[0]! },
    {
      head: '',
      cell: (m) =>
        [
          ...(c.sameData && m.regression
            ? [col.red(`regression (${accName === 'accuracy' ? 'test' : 'CV'} accuracy)`)]
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
        ? col.green('no model got worse')
        : col.red(
            `${regressions.length} model${regressions.length > 1 ? 's' : ''} got worse: ${regressions
              .map((m) => `${m.id} ${m.drop === Infinity ? 'failed' : `${points(-m.drop! / 100)} pts`}`)
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
  const has = (name: MetricName) =>
    c.models.some((x) => x.metrics.find((d) => d.metric === name && (d.a !== undefined || d.b !== undefined)));
  const deltaHtml = (d: MetricDelta) => {
    if (d.delta === undefined || !c.sameData) return '';
    const dir = direction(d);
    return ` <span class="${dir > 0 ? 'good' : dir < 0 ? 'regress' : 'muted'}">${esc(points(d.delta))}${dir > 0 ? ' ▲' : dir < 0 ? ' ▼' : ''}</span>`;
  };
  const metric = (m: ModelComparison, name: MetricName) => m.metrics.find((x) => x.metric === name)!;
  const full =
    (name: MetricName) =>
    (m: ModelComparison): Cell => {
      const d = metric(m, name);
      return raw(`${esc(`${value(name, d.a)} → ${value(name, d.b)}`)}${deltaHtml(d)}`);
    };
  const onlyDelta =
    (name: MetricName) =>
    (m: ModelComparison): Cell => {
      const d = metric(m, name);
      return d.delta === undefined ? '-' : raw(deltaHtml(d).trim() || esc(points(d.delta)));
    };
  const cols: { column: Column; cell: (m: ModelComparison) => Cell }[] = [
    { column: { head: 'model' }, cell: (m) => raw(`<strong>${esc(m.id)}</strong>`) },
    ...(has('accuracy') ? [{ column: { head: 'test accuracy A → B', num: true }, cell: full('accuracy') }] : []),
    ...(c.sameData && has('balancedAccuracy')
      ? [{ column: { head: 'balanced acc. Δ', num: true }, cell: onlyDelta('balancedAccuracy') }]
      : []),
    ...(c.sameData && has('macroF1')
      ? [{ column: { head: 'macro F1 Δ', num: true }, cell: onlyDelta('macroF1') }]
      : []),
    ...(has('cvAccuracy') ? [{ column: { head: 'CV accuracy A → B', num: true }, cell: full('cvAccuracy') }] : []),
    {
      column: { head: 'fit ms A → B', num: true },
      cell: (m) => {
        const d = metric(m, 'fitMs');
        return `${value('fitMs', d.a)} → ${value('fitMs', d.b)}`;
      },
    },
    {
      column: { head: 'note' },
      cell: (m) =>
        raw(
          [
            ...(c.sameData && m.regression ? ['<span class="badge bad">regression</span>'] : []),
            ...(m.note ? [esc(m.note)] : []),
          ].join(' '),
        ),
    },
  ];
  const columns = cols.map((x) => x.column);
  const rows = c.models.map((m) => cols.map((x) => x.cell(m)));
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
          c.models[0]?.accuracy.metric === 'cvAccuracy' ? 'CV mean accuracy' : 'Test accuracy',
        )} per model in each run; the axis starts near the lowest score.</figcaption></figure>`
      : `<p class="muted">${esc(chartError ? `No chart: ${chartError}` : 'No model has an accuracy in both runs.')}</p>`,
    '<h2>Per model</h2>',
    table(columns, rows, 'wide'),
    c.sameData ? '<p class="muted">Δ in percentage points, B minus A; ▲ better, ▼ worse.</p>' : '',
    '<h2>Settings that differ</h2>',
    c.settings.length
      ? table(
          [{ head: 'setting' }, { head: 'A' }, { head: 'B' }],
          c.settings.map((s) => [s.setting, s.a, s.b]),
        )
      : '<p class="muted">None: the two runs were made with the same settings.</p>',
  ].join('\n');
  return page(`compare ${c.a.runId} → ${c.b.runId}`, body, `trainpool ${c.b.versions['trainpool'] ?? ''}`.trim());
}

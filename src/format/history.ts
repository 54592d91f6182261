// A data set's history, for the console and as a page. Pure.
import type { History } from '../results/history.js';
import type { Colors } from './console.js';
import { code, esc, page, raw, table, type Cell, type Column } from './html-page.js';
import { COLUMNS } from './columns.js';
import { fixed } from './text.js';

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, '');
/** How a run was made, in a word or two: "-", "5-fold", "5-fold, tuned", with "interrupted" when it was. */
const kind = (r: History['rows'][number]) =>
  [r.cv ? `${r.cv}-fold` : '', r.tuned ? 'tuned' : '', r.interrupted ? 'interrupted' : ''].filter(Boolean).join(', ') ||
  '-';
const metricLabel = (h: History) => `${h.metric === 'test' ? 'test' : 'CV mean'} ${COLUMNS.accuracy.label}`;
const cell = (v: number | 'failed' | 'not-run' | undefined) =>
  v === undefined ? '-' : v === 'failed' ? 'failed' : v === 'not-run' ? 'not run' : fixed(v);

/** The history as a console table, one row per run, oldest first. */
export function formatHistoryText(h: History, c: Colors): string {
  const head = ['started (UTC)', 'run', 'seed', 'data', 'cv', ...h.models];
  const rows = h.rows.map((r) => [
    when(r.createdAt),
    r.runId,
    String(r.seed),
    `${r.sha256.slice(0, 8)}${r.dataChanged ? '*' : ''}`,
    kind(r),
    ...h.models.map((m) => cell(r.values[m])),
  ]);
  const widths = head.map((x, i) => Math.max(x.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((x, i) => (i < 2 || i === 3 || i === 4 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    c.bold(
      `${h.dataset}: ${h.rows.length} run${h.rows.length === 1 ? '' : 's'}, ${metricLabel(h)} per model, oldest first`,
    ),
    '',
    c.bold(line(head)),
    ...rows.map((r) => {
      const text = line(r);
      return r.includes('failed') ? text.replace(/\bfailed\b/g, c.red('failed')) : text;
    }),
  ];
  if (h.rows.some((r) => r.dataChanged))
    out.push(
      '',
      c.yellow('* the data changed (another sha256) at this run: accuracies before and after are not comparable'),
    );
  if (h.others.length)
    out.push(
      '',
      c.dim(
        `also in the results folder: ${h.others.map((o) => `${o.dataset} (${o.runs} run${o.runs === 1 ? '' : 's'})`).join(', ')}; see them with --dataset <name>`,
      ),
    );
  return out.join('\n');
}

/** The history as a self-contained page: the chart and the same table. */
export function formatHistoryHtml(h: History, chart: string | undefined, chartError?: string): string {
  const columns: Column[] = [
    { head: 'started (UTC)', nowrap: true },
    { head: 'run', nowrap: true },
    { head: 'seed', num: true },
    { head: 'data sha256', nowrap: true },
    { head: 'CV, tuning', nowrap: true },
    ...h.models.map((m) => ({ head: m, num: true })),
  ];
  const rows = h.rows.map((r): Cell[] => [
    when(r.createdAt),
    code(r.runId),
    String(r.seed),
    raw(`${code(r.sha256.slice(0, 12)).html}${r.dataChanged ? ' <span class="badge warn">data changed</span>' : ''}`),
    raw(
      [r.cv ? `${r.cv}-fold CV` : 'no CV', ...(r.tuned ? ['tuned'] : [])].join(', ') +
        (r.interrupted ? ' <span class="badge warn">interrupted</span>' : ''),
    ),
    ...h.models.map((m) => {
      const v = r.values[m];
      return v === 'failed'
        ? raw('<span class="badge bad">failed</span>')
        : v === 'not-run'
          ? raw('<span class="badge warn">not run</span>')
          : cell(v);
    }),
  ]);
  const body = [
    `<h1>${esc(h.dataset)} <span class="muted">history of ${h.rows.length} run${h.rows.length === 1 ? '' : 's'}</span></h1>`,
    `<p class="meta">${esc(metricLabel(h))} per model over time.</p>`,
    ...(h.rows.some((r) => r.dataChanged)
      ? [
          '<div class="note">The data changed (another sha256) during this history: accuracies across that point are not comparable.</div>',
        ]
      : []),
    '<h2>Accuracy over time</h2>',
    chart
      ? `<figure class="chart" data-chart="history">${chart}<figcaption>${esc(metricLabel(h))} of each model, one point per run, the models of a run side by side so that equal scores stay visible; the axis starts near the lowest score.</figcaption></figure>`
      : `<p class="muted">${esc(chartError ? `No chart: ${chartError}` : 'No run has a score to chart.')}</p>`,
    '<h2>Runs</h2>',
    `<div class="scroll">${table(columns, rows, 'wide')}</div>`,
    ...(h.others.length
      ? [
          `<p class="muted">Also in the results folder: ${esc(h.others.map((o) => `${o.dataset} (${o.runs})`).join(', '))}.</p>`,
        ]
      : []),
  ].join('\n');
  return page(`${h.dataset} · trainpool history`, body, 'trainpool');
}

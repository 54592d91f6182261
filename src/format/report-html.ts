// report.html: one run for people, as a self-contained page. Pure: the charts arrive already drawn.
import { MARKERS, rocCaption } from '../charts/inputs.js';
import { rankModels, type ModelReport, type Report } from '../results/report.js';
import { COLUMNS, formatValue } from './columns.js';
import { code, definitions, esc, name, page, raw, swatch, table, type Cell } from './html-page.js';
import {
  ALL_METRICS,
  DEFAULT_COLUMNS,
  boardCaption,
  cvText,
  fixed,
  leaderboardRows,
  marksLegend,
  measureText,
  scoreColumns,
  tunedParams,
  untrainedNote,
} from './text.js';

/** The drawn charts of one report, as SVG markup. */
export interface ReportChartSvgs {
  overview?: string;
  /** ROC curves, when some model has probabilities. */
  roc?: string;
  /** Confusion matrix per model id. */
  confusion: Record<string, string>;
  /** Why charts are missing, when drawing them failed. */
  error?: string;
}

const params = (p: object) => code(JSON.stringify(p));
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(2)} s`;

function splitText(report: Report): string {
  const s = report.split;
  const rows = `${s.train.length} train / ${s.test.length} test rows`;
  return s.file
    ? `from ${s.file}: ${rows}`
    : `${s.stratified ? 'stratified' : 'random'}, test size ${s.testSize}, seed ${s.seed}: ${rows}`;
}

function cvSettings(report: Report): string {
  if (!report.cv) return 'none';
  return `${report.cv.k} folds${report.cv.file ? ` from ${report.cv.file}` : ', stratified'} on the training part${report.tune ? '; grids tuned' : ''}`;
}

function header(report: Report): string {
  const d = report.dataset;
  const failed = report.models.filter((m) => m.status === 'failed').length;
  const notRun = report.models.filter((m) => m.status === 'not-run').length;
  const best = rankModels(report).find((m) => m.status === 'ok');
  const status =
    report.status === 'complete'
      ? `<span class="badge ok">complete</span>`
      : `<span class="badge warn">${esc(report.status)}</span>`;
  const bestScore =
    best?.status === 'ok'
      ? best.metrics
        ? `${formatValue('accuracy', best.metrics.accuracy)} test ${COLUMNS.accuracy.label}`
        : best.cv
          ? `${cvText(best)} CV ${COLUMNS.accuracy.label}`
          : ''
      : '';
  const card = (label: string, value: string, sub: string) =>
    `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="sub">${esc(sub)}</div></div>`;
  return [
    `<h1>${esc(d.name)} <span class="muted">run ${esc(report.runId)}</span> ${status}</h1>`,
    `<p class="meta">started ${esc(report.createdAt)} · ${report.models.length} models${failed ? `, <span class="regress">${failed} failed</span>` : ''}${notRun ? `, <span class="warn">${notRun} not run</span>` : ''} · ${esc(seconds(report.durationMs))} on ${report.threads} threads</p>`,
    '<div class="cards">',
    card('best model', best?.id ?? 'none trained', bestScore),
    card('data set', d.name, `${d.rows} rows × ${d.features} features, ${d.classes.length} classes`),
    card(
      'split',
      `${report.split.train.length} / ${report.split.test.length}`,
      report.split.file ? `from ${report.split.file}` : `train / test rows, seed ${report.split.seed}`,
    ),
    card(
      'cross-validation',
      report.cv ? `${report.cv.k} folds` : 'none',
      report.tune ? 'grids tuned' : report.cv ? 'on the training part' : 'use --cv to add it',
    ),
    '</div>',
  ].join('\n');
}

const MARK_BADGES: Record<string, string> = { best: 'ok', baseline: 'muted', 'does not beat dummy': 'warn' };

function leaderboard(report: Report): string {
  // PyCaret's columns, in short labels, so the table fits the page; each model's card has every score.
  const columns = scoreColumns(report, DEFAULT_COLUMNS, false, true);
  const rows = leaderboardRows(report, columns);
  const legend = marksLegend(report, rows);
  const tuned = tunedParams(report);
  const marks = (list: string[]) =>
    list
      .map((mark) => {
        const kind = MARK_BADGES[mark] ?? (mark.startsWith('worse') ? 'bad' : 'soft');
        return `<span class="badge ${kind}">${esc(mark)}</span>`;
      })
      .join(' ');
  return [
    '<div class="scroll">',
    table(
      [
        { head: '#', num: true },
        { head: 'model', nowrap: true },
        ...columns.map((c) => ({ head: c.head, num: true })),
        { head: '' },
      ],
      rows.map((r) => {
        if (!r.note) return [r.rank, raw(`<strong>${esc(r.model.id)}</strong>`), ...r.cells, raw(marks(r.marks))];
        const badge = r.model.status === 'failed' ? 'bad">failed' : 'warn">not run';
        return [
          r.rank,
          raw(`<strong>${esc(r.model.id)}</strong>`),
          ...columns.map(() => '-'),
          raw(`<span class="badge ${badge}</span> <span class="muted">${esc(r.note)}</span>`),
        ];
      }),
      'wide board',
    ),
    '</div>',
    `<p class="muted">${esc(boardCaption(report))}; failed and not-run models last.${legend.length ? ` ${esc(legend.join('; '))}.` : ''}</p>`,
    ...(tuned.length
      ? [
          `<p>Params chosen by --tune: ${tuned.map((t) => `<strong>${esc(t.id)}</strong> ${code(t.params).html}`).join(' · ')}</p>`,
        ]
      : []),
  ].join('\n');
}

function overview(report: Report, charts: ReportChartSvgs): string {
  const hasCv = report.models.some((m) => m.cv);
  const hasTest = report.split.test.length > 0;
  if (!charts.overview)
    return `<p class="muted">${esc(charts.error ? `No chart: ${charts.error}` : 'No model trained: nothing to chart.')}</p>`;
  const legend = [
    ...(hasTest ? [swatch(MARKERS.test.color, MARKERS.test.label, 'diamond')] : []),
    ...(hasCv
      ? [
          swatch(MARKERS.cv.color, `CV mean, the bar ± one std`, 'circle'),
          swatch(MARKERS.fold.color, MARKERS.fold.label, 'tick'),
        ]
      : []),
  ];
  return [
    `<div class="legend">${legend.join('')}</div>`,
    `<figure class="chart" data-chart="overview">${charts.overview}`,
    `<figcaption>Accuracy per model, best first (the axis starts near the lowest score, not at 0); right: time to fit the final model, measured in its worker.${hasCv ? '' : ' Run with --cv to see the spread over folds.'}</figcaption></figure>`,
  ].join('\n');
}

function modelCard(m: ModelReport, charts: ReportChartSvgs): string {
  const lines = [
    `<div class="model" id="model-${esc(m.id)}">`,
    `<h3>${esc(m.id)} ${m.status === 'ok' ? '' : m.status === 'failed' ? '<span class="badge bad">failed</span>' : '<span class="badge warn">not run</span>'}</h3>`,
    `<p class="muted">${esc(m.description)}</p>`,
    definitions([
      ...(m.library ? [['library', `${m.library.name} ${m.library.version}`] as const] : []),
      ['params', params(m.params)],
      ['preprocessing', m.preprocess],
      ...(m.cv?.accuracy
        ? [
            [
              `CV ${COLUMNS.accuracy.label}`,
              `${fixed(m.cv.accuracy.mean, 4)} ± ${fixed(m.cv.accuracy.std, 4)} (folds ${m.cv.accuracy.folds.map((v) => fixed(v, 3)).join(', ')})`,
            ] as const,
          ]
        : []),
      ...(m.status === 'ok'
        ? [
            [
              'timings',
              `${COLUMNS.fitMs.label} ${formatValue('fitMs', m.timings.fitMs)}, ${COLUMNS.predictMs.label} ${formatValue('predictMs', m.timings.predictMs)}`,
            ] as const,
          ]
        : []),
      ...(m.attempts && m.attempts > 1 ? [['attempts', String(m.attempts)] as const] : []),
      ...(m.status === 'ok' && m.modelFile ? [['saved model', code(m.modelFile)] as const] : []),
    ]),
  ];
  if (m.status === 'ok' && (m.metrics || m.cv)) {
    lines.push(
      '<details><summary>every score</summary>',
      table(
        [
          { head: 'metric' },
          ...(m.metrics ? [{ head: 'test', num: true }] : []),
          ...(m.cv ? [{ head: `CV mean ± std (${m.cv.k} folds)`, num: true }] : []),
        ],
        ALL_METRICS.map((id) => [
          COLUMNS[id].label,
          ...(m.metrics ? [measureText(m, { scope: 'test', id })] : []),
          ...(m.cv ? [measureText(m, { scope: 'cv', id }, true)] : []),
        ]),
      ),
      '</details>',
    );
  }
  if (m.tuning) {
    lines.push(
      '<details><summary>grid candidates</summary>',
      table(
        [{ head: '#', num: true }, { head: 'params' }, { head: `CV ${COLUMNS.accuracy.label}`, num: true }],
        m.tuning.candidates.map((c, i) => [
          `${i + 1}${i === m.tuning!.best ? ' ★' : ''}`,
          params(c.params),
          c.cv?.accuracy
            ? `${fixed(c.cv.accuracy.mean, 4)} ± ${fixed(c.cv.accuracy.std, 4)}`
            : c.status === 'not-run'
              ? `not run: ${c.reason?.message ?? ''}`
              : `failed: ${c.error?.message ?? ''}`,
        ]),
      ),
      '</details>',
    );
  }
  if (m.status === 'failed') {
    lines.push(
      `<div class="error">Failed in ${esc(m.error.task)} (${esc(m.error.kind)}): ${esc(`${m.error.name}: ${m.error.message}`)}</div>`,
    );
  } else if (m.status === 'not-run') {
    lines.push(`<div class="note">${esc(untrainedNote(m))}</div>`);
  } else if (m.metrics) {
    const svg = charts.confusion[m.id];
    lines.push(
      '<div class="row">',
      svg
        ? `<figure class="chart confusion" data-model="${esc(m.id)}">${svg}<figcaption>Confusion matrix on the ${m.predictions.length} test rows.</figcaption></figure>`
        : `<p class="muted">No confusion matrix chart${charts.error ? `: ${esc(charts.error)}` : ''}.</p>`,
      table(
        [
          { head: 'class' },
          { head: 'precision', num: true },
          { head: 'recall', num: true },
          { head: 'F1', num: true },
          { head: 'support', num: true },
        ],
        m.metrics.perClass.map((p) => [
          name(p.class),
          fixed(p.precision),
          fixed(p.recall),
          fixed(p.f1),
          String(p.support),
        ]),
      ),
      '</div>',
    );
  } else {
    lines.push('<p class="muted">No test part (--test-size 0): no test scores or confusion matrix.</p>');
  }
  lines.push('</div>');
  return lines.join('\n');
}

function settings(report: Report): string {
  const d = report.dataset;
  return definitions([
    ['run id', code(report.runId)],
    ['started', report.createdAt],
    ['status', report.status],
    ['data set', `${d.name} (${d.source})`],
    ['shape', `${d.rows} rows × ${d.features} features`],
    ['features', d.featureNames.join(', ')],
    ['classes', raw(d.classes.map((c, i) => `${name(c).html} (${d.classCounts[i] ?? '?'})`).join(', '))],
    ['data sha256', code(d.sha256)],
    ['seed', String(report.split.seed)],
    ['split', splitText(report)],
    ['cross-validation', cvSettings(report)],
    ['tuning', report.tune ? 'each grid scored by CV, best refit' : 'off (default params)'],
    ['params', raw(report.models.map((m) => `${esc(m.id)}: ${params(m.params).html}`).join('<br>'))],
    ['preprocessing', report.models.map((m) => `${m.id}: ${m.preprocess}`).join(', ')],
    ['threads', String(report.threads)],
    ['duration', seconds(report.durationMs)],
    ['Node.js', report.nodeVersion],
    [
      'versions',
      Object.entries(report.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
  ]);
}

/** The whole report.html page for one run. */
export function formatReportHtml(report: Report, charts: ReportChartSvgs): string {
  const body = [
    header(report),
    charts.error ? `<div class="note">Charts could not be drawn: ${esc(charts.error)}</div>` : '',
    '<h2>Leaderboard</h2>',
    leaderboard(report),
    '<h2>Accuracy and fit time</h2>',
    overview(report, charts),
    ...(charts.roc
      ? [
          '<h2>ROC curves</h2>',
          `<figure class="chart" data-chart="roc">${charts.roc}<figcaption>${esc(rocCaption(report))}</figcaption></figure>`,
        ]
      : []),
    '<h2>Models</h2>',
    `<div class="models">${rankModels(report)
      .map((m) => modelCard(m, charts))
      .join('\n')}</div>`,
    '<h2>Settings</h2>',
    settings(report),
  ].join('\n');
  return page(
    `${report.dataset.name} · trainpool run ${report.runId}`,
    body,
    `trainpool ${report.versions['trainpool'] ?? ''}`.trim(),
  );
}

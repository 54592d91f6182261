import type { ModelReport, Report } from '../results/report.js';
import { COLUMNS, formatValue } from './columns.js';
import { clip, markdownCode, markdownText as escape } from './escape.js';
import {
  ALL_COLUMNS,
  ALL_METRICS,
  boardCaption,
  measureText,
  fixed,
  leaderboardRows,
  marksLegend,
  scoreColumns,
  tunedParams,
} from './text.js';

const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

function modelSection(m: ModelReport): string {
  const lines = [
    `### ${escape(m.id)}`,
    '',
    escape(m.description),
    '',
    ...(m.library ? [`- library: ${escape(`${m.library.name} ${m.library.version}`)}`] : []),
    `- params: ${markdownCode(JSON.stringify(m.params))}`,
    `- preprocessing: ${m.preprocess}`,
  ];
  const cvAccuracy = m.cv?.accuracy;
  if (m.cv && cvAccuracy) {
    lines.push(
      `- ${m.cv.k}-fold CV ${COLUMNS.accuracy.label}: ${fixed(cvAccuracy.mean, 4)} ± ${fixed(cvAccuracy.std, 4)} (folds: ${cvAccuracy.folds.map((v) => fixed(v, 4)).join(', ')})`,
      `- CV means: ${ALL_METRICS.map((id) => `${COLUMNS[id].label} ${measureText(m, { scope: 'cv', id }, true)}`).join(' · ')}`,
    );
  }
  if (m.status === 'ok' && m.metrics)
    lines.push(
      `- test scores: ${ALL_METRICS.map((id) => `${COLUMNS[id].label} ${measureText(m, { scope: 'test', id })}`).join(' · ')}`,
    );
  if (m.tuning) {
    lines.push(
      '',
      table(
        ['candidate', 'params', `cv ${COLUMNS.accuracy.label}`],
        m.tuning.candidates.map((c, i) => [
          `${i + 1}${i === m.tuning!.best ? ' (best)' : ''}`,
          markdownCode(JSON.stringify(c.params), true),
          c.cv?.accuracy
            ? `${fixed(c.cv.accuracy.mean, 4)} ± ${fixed(c.cv.accuracy.std, 4)}`
            : c.status === 'not-run'
              ? `not run: ${escape(c.reason?.message ?? '')}`
              : `failed: ${escape(c.error?.message ?? '')}`,
        ]),
      ),
    );
  }
  if (m.status === 'failed') {
    lines.push(`- **failed** in ${m.error.task} (${m.error.kind}): ${escape(m.error.message)}`);
    return lines.join('\n');
  }
  if (m.status === 'not-run') {
    lines.push(`- **not run** (${m.reason.kind}): ${escape(m.reason.message)}`);
    return lines.join('\n');
  }
  lines.push(
    `- ${COLUMNS.fitMs.label} ${formatValue('fitMs', m.timings.fitMs)}, ${COLUMNS.predictMs.label} ${formatValue('predictMs', m.timings.predictMs)}`,
  );
  if (m.metrics) {
    const { labels, matrix } = m.metrics.confusionMatrix;
    lines.push(
      '',
      table(
        ['class', 'precision', 'recall', 'F1', 'support'],
        m.metrics.perClass.map((p) => [
          escape(clip(p.class)),
          fixed(p.precision),
          fixed(p.recall),
          fixed(p.f1),
          String(p.support),
        ]),
      ),
      '',
      'Confusion matrix (rows: true class, columns: predicted):',
      '',
      table(
        ['', ...labels.map((label) => escape(clip(label)))],
        matrix.map((row, i) => [`**${escape(clip(labels[i]!))}**`, ...row.map(String)]),
      ),
    );
  }
  return lines.join('\n');
}

/** How the CSV columns became features, where that is more than reading numbers. */
function dataNotes({ dataset: d }: Report): string[] {
  const oneHot = d.encoding?.columns.flatMap((c) =>
    c.type === 'one-hot' ? [`${escape(c.name)} (${c.categories.length} values)`] : [],
  );
  return [
    ...(d.encoding ? [`- label column: ${escape(d.encoding.label)}`] : []),
    ...(oneHot && oneHot.length > 0 ? [`- one-hot encoded text columns: ${oneHot.join(', ')}`] : []),
    ...(d.droppedRows !== undefined ? [`- rows dropped for missing values: ${d.droppedRows}`] : []),
  ];
}

/** report.md: the same report for people, as Markdown. */
export function formatMarkdown(report: Report): string {
  const d = report.dataset;
  const columns = scoreColumns(report, ALL_COLUMNS, true, true);
  const rows = leaderboardRows(report, columns);
  const legend = marksLegend(report, rows);
  const tuned = tunedParams(report);
  return [
    `# trainpool run ${escape(report.runId)}`,
    '',
    `- status: ${report.status}`,
    `- created: ${report.createdAt}`,
    `- data set: ${escape(d.name)} (${escape(d.source)}), ${d.rows} rows x ${d.features} features, ${d.classes.length} classes, sha256 \`${d.sha256.slice(0, 16)}…\``,
    ...dataNotes(report),
    `- split: ${report.split.file ? `from ${escape(report.split.file)}` : `stratified, seed ${report.split.seed}, test size ${report.split.testSize}`}: ${report.split.train.length} train / ${report.split.test.length} test rows`,
    `- cross-validation: ${report.cv ? `${report.cv.k} folds${report.cv.file ? ` from ${escape(report.cv.file)}` : ', stratified'}` : 'none'}${report.tune ? '; grids tuned' : ''}`,
    `- threads: ${report.threads}; Node ${report.nodeVersion}; ${(report.durationMs / 1000).toFixed(2)} s`,
    '',
    '## Leaderboard',
    '',
    `${boardCaption(report)[0]!.toUpperCase()}${boardCaption(report).slice(1)}.`,
    '',
    table(
      ['#', 'model', ...columns.map((c) => c.head), 'note'],
      rows.map((r) => [
        r.rank,
        escape(r.model.id),
        ...(r.note ? columns.map(() => '-') : r.cells),
        escape(r.note || r.marks.join('; ')),
      ]),
    ),
    ...(legend.length ? ['', `${legend.join('; ')}.`] : []),
    ...(tuned.length ? ['', 'Params chosen by --tune:', '', ...tuned.map((t) => `- ${t.id}: \`${t.params}\``)] : []),
    '',
    '## Models',
    '',
    report.models.map(modelSection).join('\n\n'),
    '',
  ].join('\n');
}

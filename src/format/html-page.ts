// The shell shared by every HTML page trainpool writes: one self-contained file, styles inline,
// charts as inline SVG, no script and nothing fetched (the Content-Security-Policy forbids it).
import { FONT } from '../charts/templates.js';
import { clip } from './escape.js';

export const esc = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Markup that is already safe HTML, as opposed to text to escape. */
export interface Html {
  html: string;
}
export const raw = (html: string): Html => ({ html });
export type Cell = string | Html;
const cell = (c: Cell) => (typeof c === 'string' ? esc(c) : c.html);

export interface Column {
  head: string;
  /** Right-aligned, tabular digits. */
  num?: boolean;
  /** Kept on one line (ids, dates). */
  nowrap?: boolean;
}

export function table(columns: readonly Column[], rows: readonly (readonly Cell[])[], className = ''): string {
  const cls = (c: Column | undefined) => {
    const names = [c?.num ? 'num' : '', c?.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ');
    return names ? ` class="${names}"` : '';
  };
  return [
    `<table${className ? ` class="${className}"` : ''}>`,
    `<thead><tr>${columns.map((c) => `<th${cls(c)}>${esc(c.head)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(columns[i])}>${cell(c)}</td>`).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n');
}

/** A two-column list of settings. */
export function definitions(items: readonly (readonly [string, Cell])[]): string {
  return `<dl class="settings">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${cell(v)}</dd>`).join('')}</dl>`;
}

export const code = (text: string): Html => raw(`<code>${esc(text)}</code>`);

/** A name from the data, shortened for the layout; a shortened one keeps its whole text as a tooltip. */
export const name = (text: string): Html => {
  const shown = clip(text);
  return raw(shown === text ? esc(text) : `<span title="${esc(text)}">${esc(shown)}</span>`);
};

/** A legend entry drawn in CSS, matching a chart's marker. */
export function swatch(color: string, label: string, shape: 'circle' | 'diamond' | 'tick' | 'line' = 'circle'): string {
  return `<span class="swatch"><i class="${shape}" style="--c:${esc(color)}"></i>${esc(label)}</span>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #656d76; --line: #d8dee4; --soft: #f6f8fa; --accent: #4c78a8;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 ${FONT}; color: var(--ink); background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; font-weight: 650; overflow-wrap: anywhere; }
h1 .muted { font-weight: 400; font-size: 16px; }
h2 { font-size: 17px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); font-weight: 600; }
h3 { font-size: 15px; margin: 0 0 4px; font-weight: 600; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
.meta { color: var(--muted); margin: 0; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft);
  padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
th { font-weight: 600; color: var(--muted); font-size: 12.5px; border-bottom: 2px solid var(--line); white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:hover { background: var(--soft); }
table.wide { width: 100%; }
table.board th, table.board td { padding: 5px 7px; }
/* A table wider than the page scrolls inside its own box: the page itself never does. */
.scroll { overflow-x: auto; max-width: 100%; }
/* Long values (JSON params) wrap anywhere rather than widen the table past the page. */
table.wrap { table-layout: fixed; }
table.wrap td { overflow-wrap: anywhere; }
table.wrap td:first-child, table.wrap th:first-child { width: 24%; }
/* Ids and times read on one line; the table scrolls instead of breaking them. */
td.nowrap, td.nowrap code { white-space: nowrap; overflow-wrap: normal; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 20px 0 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 20px; font-weight: 600; margin-top: 2px; overflow-wrap: anywhere; }
.card .sub { color: var(--muted); font-size: 12.5px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; vertical-align: middle; white-space: nowrap; }
.badge.ok { background: #dafbe1; color: var(--ok); }
.badge.bad { background: #ffebe9; color: var(--bad); }
.badge.warn { background: #fff8c5; color: var(--warn); }
.badge.soft, .badge.muted { background: var(--soft); color: var(--muted); font-weight: 500; }
.good { color: var(--ok); font-weight: 600; }
.warn { color: var(--warn); }
.regress { color: var(--bad); font-weight: 600; }
figure { margin: 8px 0; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 18px; color: var(--muted); font-size: 12.5px; margin: 4px 0 6px; }
.swatch { display: inline-flex; align-items: center; gap: 6px; }
.swatch i { display: inline-block; width: 10px; height: 10px; background: var(--c); }
.swatch i.circle { border-radius: 50%; }
.swatch i.diamond { transform: rotate(45deg) scale(.85); }
.swatch i.tick { width: 2px; height: 12px; }
.swatch i.line { width: 16px; height: 3px; }
.models { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(500px, 100%), 1fr)); gap: 16px; }
.model { min-width: 0; }
.model { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.model .row { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: flex-start; }
.model table { font-size: 12.5px; }
.model th, .model td { padding: 3px 8px; }
.error { border-left: 4px solid var(--bad); background: #fff5f5; padding: 8px 12px; border-radius: 4px; margin: 8px 0; }
.banner { border: 2px solid var(--bad); background: #ffebe9; color: #82071e; padding: 12px 16px; border-radius: 8px;
  font-weight: 600; margin: 16px 0; }
.note { border-left: 4px solid var(--warn); background: #fffbea; padding: 8px 12px; border-radius: 4px; margin: 8px 0; }
dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 8px 0; }
dl.settings dt { color: var(--muted); }
dl.settings dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
`;

/** A complete HTML document. `body` is trusted markup built with `esc`. */
export function page(title: string, body: string, generator: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${esc(generator)}">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<footer>Written by ${esc(generator)}. This file is self-contained: it loads nothing.</footer>
</main>
</body>
</html>
`;
}

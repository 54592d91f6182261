// Text that comes from data (class and column names, file names, descriptions, error messages)
// as each output needs it, written once for every formatter: shortened where a layout has room for
// a name and not an essay, with control characters written out where a terminal would obey them,
// and escaped where Markdown would take it for structure or HTML. (HTML escaping is html-page.ts's
// `esc`.)

/** How many characters of a name a layout shows (a table cell, a chart label, an inspect row). */
export const NAME_LIMIT = 64;

/** The text, cut to `max` characters (code points) with an ellipsis when it is longer. */
export function clip(text: string, max = NAME_LIMIT): string {
  if (text.length <= max) return text;
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * C0 and C1 control characters (ESC starts every terminal escape sequence, CSI is its one-byte
 * form), DEL, and the Unicode controls that reorder what follows them on screen.
 */
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const written = (ch: string) => {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  const code = ch.codePointAt(0)!;
  return named[ch] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
};

/** The text with every control character written out (`\x1b`, `\n`), safe to print on a terminal. */
export const terminalText = (text: string): string => text.replace(CONTROLS, written);

/**
 * Text for running Markdown (a paragraph, a list item, a table cell): line breaks become spaces,
 * other control characters are written out, HTML's `<`, `>` and `&` become entities (a renderer
 * then shows them instead of rendering a tag), and the characters that make emphasis, links, code
 * or table cells are backslash-escaped.
 */
export function markdownText(text: string): string {
  // Written out last: a backslash before a letter is a plain backslash in Markdown.
  return terminalText(
    text
      .replace(/\r\n|\r|\n/g, ' ')
      .replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch]!)
      .replace(/[\\`*_[\]|~]/g, '\\$&'),
  );
}

/**
 * A Markdown code span holding `text` verbatim: fenced by more backticks than any run inside it.
 * In a table cell a pipe still splits the row (GFM reads the row before the span), so `inTable`
 * escapes it; the renderer shows it as `|`.
 */
export function markdownCode(text: string, inTable = false): string {
  const body = terminalText(text.replace(/\r\n|\r|\n/g, ' '));
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = body.startsWith('`') || body.endsWith('`') ? ` ${body} ` : body;
  return `${fence}${inTable ? padded.replace(/\|/g, '\\|') : padded}${fence}`;
}

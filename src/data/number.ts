// The one definition of a number in a data file, shared by every parse path so that a value reads
// the same whichever path met it: optional sign, digits with an optional decimal point, optional
// exponent, surrounded by optional spaces. No hex, no "Infinity", no thousands separators.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The markers of a missing cell, after trimming spaces: pandas' defaults that users meet most. */
export const MISSING_MARKERS = ['', 'NaN', 'nan'] as const;

export function isMissingText(text: string): boolean {
  // Most cells are neither empty nor padded: answer those without making a trimmed copy.
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first > 32 && last > 32 && first !== 78 && first !== 110) return false;
  const t = text.trim();
  return t === '' || t === 'NaN' || t === 'nan';
}

/**
 * The value of a numeric cell, or undefined when the text is not a number. Number() rounds
 * correctly, so the result is the double nearest to the decimal text, as in every other reader.
 */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER.test(t)) return undefined;
  const value = Number(t);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Powers of ten up to 1e22, each exactly a double (read from decimal text, which is exact where
 * Math.pow need not be). An integer mantissa below 2^53 times or divided by one of them is
 * rounded once, so the byte-level fast path gives the same double as Number() on the same text.
 */
export const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

// The metrics table and the columns table agree: every metric and timing has exactly one label and
// number format, and nothing is labelled that is not a metric.
import { describe, expect, it } from 'vitest';
import { COLUMNS, formatValue } from '../src/format/columns.js';
import { METRICS, TIMINGS } from '../src/ml/metrics.js';

describe('format/columns', () => {
  it('has an entry for every metric and timing, and no other', () => {
    const ids = [...METRICS.map((m) => m.id), ...TIMINGS.map((t) => t.id)];
    expect(Object.keys(COLUMNS).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(COLUMNS[id].label, id).toMatch(/\S/);
      expect(COLUMNS[id].short, id).toMatch(/\S/);
    }
  });

  it('prints a value, n/a for one the model cannot have (null), - for one that is not there', () => {
    expect(formatValue('accuracy', 0.96666)).toBe('0.967');
    expect(formatValue('accuracy', null)).toBe('n/a');
    expect(formatValue('accuracy', undefined)).toBe('-');
    expect(formatValue('fitMs', 0.6)).toBe('0.60 ms');
    expect(formatValue('fitMs', 1705814.9)).toBe('28 min 26 s');
  });
});

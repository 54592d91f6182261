import { describe, expect, it } from 'vitest';
import { expandGrid, pickBest } from '../src/ml/grid.js';

describe('expandGrid', () => {
  it('yields every combination over the defaults, the last parameter varying fastest', () => {
    expect(expandGrid({ a: 1, b: 'x', c: true }, { a: [1, 2], b: ['x', 'y', 'z'] })).toEqual([
      { a: 1, b: 'x', c: true },
      { a: 1, b: 'y', c: true },
      { a: 1, b: 'z', c: true },
      { a: 2, b: 'x', c: true },
      { a: 2, b: 'y', c: true },
      { a: 2, b: 'z', c: true },
    ]);
  });

  it('without a grid, the defaults are the only candidate', () => {
    expect(expandGrid({ a: 1 }, undefined)).toEqual([{ a: 1 }]);
  });
});

describe('pickBest', () => {
  it('takes the highest mean', () => {
    expect(
      pickBest([
        { mean: 0.9, std: 0 },
        { mean: 0.95, std: 0.1 },
        { mean: 0.91, std: 0 },
      ]),
    ).toBe(1);
  });
  it('breaks a tie on mean by the lower std, then by grid order', () => {
    expect(
      pickBest([
        { mean: 0.9, std: 0.05 },
        { mean: 0.9, std: 0.01 },
        { mean: 0.9, std: 0.01 },
      ]),
    ).toBe(1);
    expect(
      pickBest([
        { mean: 0.9, std: 0 },
        { mean: 0.9, std: 0 },
      ]),
    ).toBe(0);
  });
  it('never picks a failed candidate; none when all failed', () => {
    expect(pickBest([undefined, { mean: 0.5, std: 0 }])).toBe(1);
    expect(pickBest([undefined, undefined])).toBeUndefined();
  });
});

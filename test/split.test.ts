import { describe, expect, it } from 'vitest';
import { loadIris } from '../src/data/iris.js';
import { UsageError } from '../src/errors.js';
import { stratifiedSplit, validateSplit } from '../src/ml/split.js';

const iris = loadIris();
const split = (seed = 42, testSize = 0.2) => stratifiedSplit(iris.labels, iris.classNames, testSize, seed);
const countBy = (rows: number[]) =>
  rows.reduce<number[]>((acc, r) => ((acc[iris.labels[r]!] = (acc[iris.labels[r]!] ?? 0) + 1), acc), []);

describe('stratifiedSplit', () => {
  it('holds every class in proportion in both parts', () => {
    const { train, test } = split();
    expect(test).toHaveLength(30);
    expect(countBy(test)).toEqual([10, 10, 10]);
    expect(countBy(train)).toEqual([40, 40, 40]);
  });

  it('is disjoint and complete', () => {
    const { train, test } = split();
    expect(new Set([...train, ...test]).size).toBe(150);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(split(7)).toEqual(split(7));
    expect(split(7).test).not.toEqual(split(8).test);
  });

  it('sizes the test part as scikit-learn does (ceil) and keeps small classes in both parts', () => {
    expect(split(1, 0.1).test).toHaveLength(15);
    const labels = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
    const { train, test } = stratifiedSplit(labels, ['a', 'b'], 0.3, 1);
    expect(test.map((r) => labels[r]).sort()).toEqual([0, 1, 1]);
    expect(train).toHaveLength(7);
  });

  it('refuses a class too small to appear in both parts', () => {
    expect(() => stratifiedSplit([0, 1, 1, 1, 1, 1], ['rare', 'common'], 0.2, 1)).toThrow(/class "rare" has 1 row/);
  });

  it('keeps every row for training at --test-size 0', () => {
    expect(split(42, 0)).toEqual({ train: Array.from({ length: 150 }, (_, i) => i), test: [] });
  });
});

describe('validateSplit', () => {
  const check = (value: unknown) => () => validateSplit(value, 10, 'split.json');
  it('accepts a valid split', () => {
    expect(validateSplit({ train: [0, 1, 2], test: [3] }, 10, 'split.json')).toEqual({ train: [0, 1, 2], test: [3] });
  });
  it.each([
    [{ train: [0, 10], test: [] }, /train\[1\] is 10, not a row index/],
    [{ train: [0, -1], test: [] }, /train\[1\] is -1/],
    [{ train: [0, 1.5], test: [] }, /train\[1\] is 1.5/],
    [{ train: [0, 1, 1], test: [] }, /train\[2\] repeats row 1/],
    [{ train: [0, 1], test: [1] }, /row 1 is in both "train" and "test"/],
    [{ train: [], test: [1] }, /"train" is empty/],
    [[1, 2], /expected an object/],
  ])('refuses %j', (value, message) => {
    expect(check(value)).toThrow(UsageError);
    expect(check(value)).toThrow(message);
  });
});

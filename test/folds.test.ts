import { describe, expect, it } from 'vitest';
import { loadIris } from '../src/data/iris.js';
import { UsageError } from '../src/errors.js';
import { foldTrainRows, stratifiedKFold, stratifiedSplit, validateFolds } from '../src/ml/split.js';

const iris = loadIris();
const { train } = stratifiedSplit(iris.labels, iris.classNames, 0.2, 42);
const folds = (seed = 42, k = 5, rows = train) => stratifiedKFold(iris.labels, rows, iris.classNames, k, seed);
const perClass = (rows: number[]) => [0, 1, 2].map((c) => rows.filter((r) => iris.labels[r] === c).length);

describe('stratifiedKFold', () => {
  it('keeps each class in proportion: per-class counts differ by at most one between folds', () => {
    const counts = folds().map(perClass);
    for (let c = 0; c < 3; c++) {
      const column = counts.map((row) => row[c]!);
      expect(Math.max(...column) - Math.min(...column)).toBeLessThanOrEqual(1);
    }
    expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(120);
  });

  it('folds are disjoint and together are exactly the training rows', () => {
    const all = folds().flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => a - b)).toEqual(train);
  });

  it("a fold's training rows are the other folds' rows", () => {
    const [first, ...rest] = folds();
    expect(foldTrainRows(train, first!)).toEqual(rest.flat().sort((a, b) => a - b));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(folds(3)).toEqual(folds(3));
    expect(folds(3)).not.toEqual(folds(4));
  });

  it('refuses more folds than a class has rows', () => {
    const rows = [
      ...train.filter((r) => iris.labels[r] !== 0),
      ...train.filter((r) => iris.labels[r] === 0).slice(0, 3),
    ];
    expect(() => folds(1, 5, rows)).toThrow(UsageError);
    expect(() => folds(1, 5, rows)).toThrow('class "setosa" has 3 training row(s): too few for --cv 5');
  });
});

describe('validateFolds', () => {
  const rows = [0, 1, 2, 3, 4, 5];
  it('accepts folds over the training rows', () => {
    expect(
      validateFolds(
        {
          testFolds: [
            [0, 1, 2],
            [3, 4, 5],
          ],
        },
        rows,
        'f.json',
      ),
    ).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });
  it.each([
    [{ testFolds: [[0, 1, 2, 3, 4, 5]] }, 'at least two folds'],
    [{ folds: [[0], [1]] }, 'expected {"testFolds"'],
    [
      {
        testFolds: [
          [0, 1],
          [1, 2],
        ],
      },
      'row 1 is in more than one fold',
    ],
    [{ testFolds: [[0, 1], [9]] }, 'testFolds[1] holds row 9, which is not in the training part'],
    [{ testFolds: [[0, 1], ['2']] }, 'testFolds[1][0] is "2", not a row index'],
  ])('refuses %j', (value, message) => {
    expect(() => validateFolds(value, rows, 'f.json')).toThrow(message);
  });
});

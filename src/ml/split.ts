import { UsageError } from '../errors.js';
import { createRandom, shuffle } from './random.js';

export interface Split {
  train: number[];
  test: number[];
}

function groupByClass(labels: ArrayLike<number>, rows: readonly number[], classes: number): number[][] {
  const groups = Array.from({ length: classes }, () => [] as number[]);
  for (const row of rows) groups[labels[row] as number]!.push(row);
  return groups;
}

/**
 * Splits rows into train and test parts holding each class in proportion. The test part has
 * ceil(testSize * n) rows, as scikit-learn's train_test_split does, shared out over the classes by
 * largest remainder. Indices come back sorted so a split reads the same whatever the shuffle did.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  classNames: readonly string[],
  testSize: number,
  seed: number,
): Split {
  const n = labels.length;
  const all = Array.from({ length: n }, (_, i) => i);
  if (testSize === 0) return { train: all, test: [] };
  const groups = groupByClass(labels, all, classNames.length);
  const nTest = Math.ceil(testSize * n);
  const exact = groups.map((g) => (g.length * nTest) / n);
  const take = exact.map(Math.floor);
  let missing = nTest - take.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, c) => ({ c, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of byRemainder) {
    if (missing === 0) break;
    take[c]! += 1;
    missing -= 1;
  }
  const random = createRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((group, c) => {
    const name = classNames[c];
    if (group.length === 0) return;
    const t = take[c] as number;
    if (t === 0 || t >= group.length) {
      throw new UsageError(
        `class "${name}" has ${group.length} row(s): too few for --test-size ${testSize}, which needs at least one row of each class in both parts; use more data or another --test-size`,
      );
    }
    shuffle(group, random);
    // A loop, not push(...rows): spreading hundreds of thousands of arguments overflows the stack.
    for (let i = 0; i < group.length; i++) (i < t ? test : train).push(group[i]!);
  });
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/**
 * Stratified K-fold over the given rows: each class is shuffled with the seed and dealt out to
 * the folds in turn, so fold sizes differ by at most one per class. Returns each fold's test rows.
 */
export function stratifiedKFold(
  labels: ArrayLike<number>,
  rows: readonly number[],
  classNames: readonly string[],
  k: number,
  seed: number,
): number[][] {
  const groups = groupByClass(labels, rows, classNames.length);
  groups.forEach((group, c) => {
    if (group.length > 0 && group.length < k) {
      throw new UsageError(
        `class "${classNames[c]}" has ${group.length} training row(s): too few for --cv ${k}, which needs at least ${k}; use a smaller --cv or more data`,
      );
    }
  });
  const random = createRandom(seed);
  const folds = Array.from({ length: k }, () => [] as number[]);
  let next = 0;
  for (const group of groups) {
    shuffle(group, random);
    // Continue dealing where the previous class stopped so that small classes do not all land
    // in the first folds.
    for (const row of group) {
      folds[next % k]!.push(row);
      next += 1;
    }
  }
  return folds.map((fold) => fold.sort((a, b) => a - b));
}

/** Training rows of each fold: every row of `rows` that is not in that fold's test part. */
export function foldTrainRows(rows: readonly number[], testFold: readonly number[]): number[] {
  const held = new Set(testFold);
  return rows.filter((row) => !held.has(row));
}

function checkIndices(what: string, value: unknown, n: number, where: string): number[] {
  if (!Array.isArray(value)) throw new UsageError(`${where}: "${what}" must be an array of row indices`);
  const seen = new Set<number>();
  value.forEach((index, position) => {
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= n) {
      throw new UsageError(
        `${where}: ${what}[${position}] is ${JSON.stringify(index)}, not a row index; indices are 0-based integers below ${n}, the data set's row count`,
      );
    }
    if (seen.has(index as number)) throw new UsageError(`${where}: ${what}[${position}] repeats row ${index}`);
    seen.add(index as number);
  });
  return value as number[];
}

/** Validates an explicit split read from a file (`where` names it in errors). */
export function validateSplit(value: unknown, n: number, where: string): Split {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: expected an object {"train": [...], "test": [...]}`);
  }
  const record = value as Record<string, unknown>;
  const train = checkIndices('train', record['train'], n, where);
  const test = checkIndices('test', record['test'] ?? [], n, where);
  if (train.length === 0) throw new UsageError(`${where}: "train" is empty; a model needs rows to learn from`);
  const inTrain = new Set(train);
  const overlap = test.find((row) => inTrain.has(row));
  if (overlap !== undefined) throw new UsageError(`${where}: row ${overlap} is in both "train" and "test"`);
  return { train, test };
}

/**
 * Validates explicit folds: test folds over the training rows, each holding at least one row,
 * disjoint, and together covering them (a CV score is then of every training row, once).
 */
export function validateFolds(value: unknown, trainRows: readonly number[], where: string): number[][] {
  const testFolds = (value as Record<string, unknown> | null)?.['testFolds'];
  if (!Array.isArray(testFolds) || testFolds.length < 2) {
    throw new UsageError(`${where}: expected {"testFolds": [[...], [...], ...]} with at least two folds`);
  }
  const allowed = new Set(trainRows);
  const seen = new Set<number>();
  const folds = testFolds.map((fold, f) => {
    const rows = checkIndices(`testFolds[${f}]`, fold, Number.MAX_SAFE_INTEGER, where);
    if (rows.length === 0)
      throw new UsageError(`${where}: testFolds[${f}] is empty; every fold needs at least one row`);
    for (const row of rows) {
      if (!allowed.has(row))
        throw new UsageError(`${where}: testFolds[${f}] holds row ${row}, which is not in the training part`);
      if (seen.has(row)) throw new UsageError(`${where}: row ${row} is in more than one fold`);
      seen.add(row);
    }
    return rows;
  });
  if (seen.size < trainRows.length) {
    const missing = trainRows.find((row) => !seen.has(row));
    throw new UsageError(
      `${where}: the folds hold ${seen.size} of the ${trainRows.length} training rows (row ${missing} is in none); together they must cover the training part`,
    );
  }
  return folds;
}

/**
 * Throws unless the rows a model is fitted on hold at least two classes: fitted on one, it has
 * learnt nothing, and every score of it would say so only by accident. `part` names the rows.
 */
export function requireTwoClasses(
  labels: ArrayLike<number>,
  rows: readonly number[],
  classNames: readonly string[],
  part: string,
): void {
  if (rows.length === 0) throw new UsageError(`${part} holds no rows; a model needs rows to learn from`);
  const first = labels[rows[0]!]!;
  for (const row of rows) if (labels[row] !== first) return;
  throw new UsageError(
    `${part} holds one class (${JSON.stringify(classNames[first])}, ${rows.length} rows); a model needs at least two classes to learn from`,
  );
}

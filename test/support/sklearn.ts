// scikit-learn beside trainpool, for the tests and the bench that compare the two on the same rows:
// which scikit-learn estimator each default model matches (with the same parameters), and data
// handed to Python as raw little-endian arrays (exact, and read with numpy.fromfile).
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../src/data/dataset.js';

/** The estimator each built-in model's defaults match, as a Python expression (sklearn 1.2). */
export const SKLEARN_ESTIMATORS: Record<string, string> = {
  'decision-tree': 'DecisionTreeClassifier(random_state=0)',
  'extra-trees': 'ExtraTreesClassifier(n_estimators=100, random_state=0, n_jobs=1)',
  'gradient-boosting': 'HistGradientBoostingClassifier(random_state=0)',
  knn: 'KNeighborsClassifier()',
  'logistic-regression': 'LogisticRegression()',
  'naive-bayes': 'GaussianNB()',
  'random-forest': 'RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1)',
  svm: 'SVC()',
};

export const SKLEARN_IMPORTS = `
import numpy as np
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler, MinMaxScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
`;

/** One thread for scikit-learn too: the comparisons are one thread against one thread. */
export const ONE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** Debian's python3 has scikit-learn (apt-get install python3-sklearn); the first on PATH may not. */
export function findSklearnPython(): Promise<string | undefined> {
  return (async () => {
    for (const python of ['/usr/bin/python3', 'python3']) {
      const ok = await new Promise<boolean>((done) =>
        execFile(python, ['-c', 'import sklearn'], (error) => done(!error)),
      );
      if (ok) return python;
    }
    return undefined;
  })();
}

/**
 * Writes a data set for Python: X.f64 (rows x cols, row-major float64), y.i32 (class indices) and
 * meta.json ({ rows, cols, classes }); numpy reads them with fromfile.
 */
export function writeForPython(dir: string, dataset: Dataset): string {
  mkdirSync(dir, { recursive: true });
  const { rows, cols } = dataset;
  writeFileSync(join(dir, 'X.f64'), new Uint8Array(dataset.features.buffer, 0, rows * cols * 8));
  writeFileSync(join(dir, 'y.i32'), new Uint8Array(dataset.labels.buffer, 0, rows * 4));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ rows, cols, classes: dataset.classNames.length }));
  return dir;
}

/** Python lines that load what writeForPython wrote in `dir` as X and y. */
export const LOAD_FOR_PYTHON = `
import json, os
def load(dir):
    meta = json.load(open(os.path.join(dir, 'meta.json')))
    X = np.fromfile(os.path.join(dir, 'X.f64'), dtype='<f8').reshape(meta['rows'], meta['cols'])
    y = np.fromfile(os.path.join(dir, 'y.i32'), dtype='<i4')
    return X, y
`;

/** Runs a Python script (one thread) and returns what it printed; rejects with its stderr. */
export function runPython(python: string, script: string, args: readonly string[] = []): Promise<string> {
  return new Promise((done, fail) =>
    execFile(
      python,
      ['-c', script, ...args],
      { env: { ...process.env, ...ONE_THREAD }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? fail(new Error(`python failed: ${stderr || error.message}`)) : done(stdout)),
    ),
  );
}

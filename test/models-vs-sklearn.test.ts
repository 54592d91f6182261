// Every default model's 5-fold CV mean on scikit-learn's own folds is within 0.02 of the matching
// scikit-learn estimator's (same parameters, same preprocessing inside each fold), computed live by
// scikit-learn (python3-sklearn) on digits, breast-cancer, wine and a seeded 20,000 x 20 set.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticClassification } from '../bench/synthetic.js';
import { loadDataset, resolveDatasetSpec } from '../src/data/load.js';
import type { Dataset } from '../src/data/dataset.js';
import { builtinModels } from '../src/models/index.js';
import { fixture, tempDir, train } from './support/helpers.js';
import {
  findSklearnPython,
  LOAD_FOR_PYTHON,
  runPython,
  SKLEARN_ESTIMATORS,
  SKLEARN_IMPORTS,
  writeForPython,
} from './support/sklearn.js';

const models = builtinModels.filter((d) => d.default !== false && SKLEARN_ESTIMATORS[d.id]);

const CROSS_VALIDATE = `${SKLEARN_IMPORTS}${LOAD_FOR_PYTHON}
import sys
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
X, y = load(sys.argv[1])
models = json.loads(sys.argv[2])
folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(X, y))
means = {}
for m in models:
    est = eval(m['expr'])
    pipe = make_pipeline(StandardScaler(), est) if m['preprocess'] == 'standardize' else est
    means[m['id']] = float(cross_val_score(pipe, X, y, cv=folds).mean())
print(json.dumps({'testFolds': [test.tolist() for _, test in folds], 'means': means}))
`;

/** The data set as a CSV our CLI reads back to the same doubles (shortest round-trip decimals). */
function writeCsv(path: string, dataset: Dataset) {
  const lines = [[...dataset.featureNames, 'class'].join(',')];
  for (let i = 0; i < dataset.rows; i++) {
    const row = Array.from(dataset.features.subarray(i * dataset.cols, (i + 1) * dataset.cols), String);
    lines.push([...row, dataset.classNames[dataset.labels[i]!]!].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function compare(name: string, csv: string, dataset: Dataset) {
  const python = await findSklearnPython();
  if (!python) throw new Error('scikit-learn is needed: apt-get install -y python3-sklearn');
  const dir = writeForPython(join(tempDir(), name), dataset);
  const spec = JSON.stringify(
    models.map((d) => ({ id: d.id, expr: SKLEARN_ESTIMATORS[d.id], preprocess: d.preprocess ?? 'none' })),
  );
  const sklearn = JSON.parse(await runPython(python, CROSS_VALIDATE, [dir, spec])) as {
    testFolds: number[][];
    means: Record<string, number>;
  };
  const foldsFile = join(dir, 'folds.json');
  writeFileSync(foldsFile, JSON.stringify({ testFolds: sklearn.testFolds }));
  const run = await train([
    '--dataset',
    csv,
    '--folds-file',
    foldsFile,
    '--test-size',
    '0',
    '--models',
    models.map((d) => d.id).join(','),
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const ours = Object.fromEntries(run.report!.models.map((m) => [m.id, m.cv?.accuracy.mean ?? NaN]));
  for (const def of models) {
    const gap = Math.abs(ours[def.id]! - sklearn.means[def.id]!);
    expect(gap, `${name} ${def.id}: ours ${ours[def.id]} vs scikit-learn ${sklearn.means[def.id]}`).toBeLessThanOrEqual(
      0.02,
    );
  }
}

const fromFixture = async (name: string) => {
  const csv = fixture(`sklearn/${name}.csv`);
  return { csv, dataset: (await loadDataset(resolveDatasetSpec(csv), { missing: 'error' })).dataset };
};

describe('CV accuracy against scikit-learn on its folds', () => {
  it.each(['digits', 'breast-cancer', 'wine'])(
    '%s',
    async (name) => {
      const { csv, dataset } = await fromFixture(name);
      await compare(name, csv, dataset);
    },
    600_000,
  );

  it('a seeded 20,000 x 20 set', async () => {
    const dataset = syntheticClassification(20_000);
    const csv = join(tempDir(), 'classification-20000x20.csv');
    writeCsv(csv, dataset);
    await compare('classification-20000x20', csv, dataset);
  }, 900_000);
});

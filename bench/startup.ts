// Issue 2's speed bar: the whole `npm run train` process against the Python original (the seeds'
// multiprocessing.Pool example), run alternately in the same loop so both see the same machine.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/paths.js';
import { median } from '../src/ml/stats.js';
import { findPython } from './csv-support.js';
import type { BenchSection } from './section.js';

// The seeds' "Parallelizing Model Training" example, as published.
const ORIGINAL = `import numpy as np
import multiprocessing
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.svm import SVC

def train_model(model, X_train, X_test, y_train, y_test):
    model.fit(X_train, y_train)
    accuracy = model.score(X_test, y_test)
    return accuracy

def main():
    iris = load_iris()
    X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.2, random_state=42)
    models = [
        LogisticRegression(solver='lbfgs', multi_class='auto', max_iter=1000),
        RandomForestClassifier(n_estimators=100),
        SVC(kernel='rbf', C=1.0, gamma='auto')
    ]
    with multiprocessing.Pool() as pool:
        results = pool.starmap(train_model, [(model, X_train, X_test, y_train, y_test) for model in models])
    for idx, accuracy in enumerate(results):
        print(f"Model {idx + 1} accuracy: {accuracy:.2f}")

if __name__ == '__main__':
    main()
`;

function wall(command: string, args: string[], cwd: string): number {
  const start = performance.now();
  execFileSync(command, args, { cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  return (performance.now() - start) / 1000;
}

export const section: BenchSection = {
  id: 'startup',
  title: 'Whole-process time: `npm run train` (iris, every default model) vs the Python original',
  async run({ log, scratch, quick }) {
    const runs = quick ? 3 : 10;
    const results = join(scratch, 'startup-results');
    const trainArgs = ['--quiet', '--results-dir', results];
    // One run first so that the bundle is built and the disk cache warm for both sides.
    wall('npm', ['run', '-s', 'train', '--', ...trainArgs], projectRoot);
    const python = await findPython('sklearn');
    const script = join(scratch, 'original.py');
    writeFileSync(script, ORIGINAL);
    if (python) wall(python, [script], scratch);
    const times: Record<string, number[]> = { npm: [], node: [], python: [] };
    for (let i = 0; i < runs; i++) {
      times.npm!.push(wall('npm', ['run', '-s', 'train', '--', ...trainArgs], projectRoot));
      times.node!.push(
        wall(process.execPath, [join(projectRoot, 'scripts/run.mjs'), 'train', ...trainArgs], projectRoot),
      );
      if (python) times.python!.push(wall(python, [script], scratch));
    }
    const figures: Record<string, unknown> = {
      runs,
      npmRunTrainMedianS: median(times.npm!),
      nodeProcessMedianS: median(times.node!),
    };
    log(`npm run train           median of ${runs}: ${median(times.npm!).toFixed(3)} s`);
    log(
      `node scripts/run.mjs    median of ${runs}: ${median(times.node!).toFixed(3)} s (the same without npm's own start-up)`,
    );
    if (python) {
      const py = median(times.python!);
      figures['pythonOriginalMedianS'] = py;
      figures['ratioNpmToPython'] = median(times.npm!) / py;
      log(`python original         median of ${runs}: ${py.toFixed(3)} s (${python})`);
      log(`ratio npm run train / python: ${(median(times.npm!) / py).toFixed(2)} (below 1: faster)`);
    } else {
      figures['pythonOriginal'] = 'skipped: no python3 with scikit-learn (apt-get install -y python3-sklearn)';
      log('python original: skipped, no python3 with scikit-learn (apt-get install -y python3-sklearn)');
    }
    if (!existsSync(results)) log('warning: no results were written');
    return figures;
  },
};

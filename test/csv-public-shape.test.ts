import { builtinModels } from '../src/models/index.js';
import { describe, expect, it } from 'vitest';
import { fixture, train } from './support/helpers.js';

// Synthetic files with the shapes and header names of scikit-learn's wine (13 features, string
// labels, 3 classes) and digits (64 features, numeric labels, 10 classes) data sets.
describe('public data sets of the usual shape train with no flags', () => {
  // digits trains only the SVM: ml-cart's random forest takes ~9 s on 64 features here, which
  // is the model's cost, not the data's (wine trains every model).
  it.each([
    ['wine.csv', [], 178, 13, ['class_0', 'class_1', 'class_2']],
    ['digits.csv', ['--models', 'svm'], 120, 64, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']],
  ])('%s', async (file, flags, rows, features, classes) => {
    const run = await train(['--dataset', fixture(`csv/${file}`), ...flags]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = run.report!;
    expect(report.dataset).toMatchObject({ rows, features, classes });
    if (file === 'wine.csv') expect(report.dataset.featureNames).toContain('od280/od315_of_diluted_wines');
    for (const model of report.models) {
      expect(model.status, model.id).toBe('ok');
      if (model.status !== 'ok') continue;
      // Well above chance (1/3 and 1/10): the columns reached the models in the right places. The
      // baseline learns nothing on purpose.
      if (!builtinModels.find((d) => d.id === model.id)?.baseline)
        expect(model.metrics!.accuracy, model.id).toBeGreaterThan(0.8);
    }
  });
});

// A data set's report, assembled from what the run planned and what its models did. Pure.
import { classCounts } from '../data/dataset.js';
import type { LoadedDataset } from '../data/load.js';
import type { ModelDefinition } from '../ml/estimator.js';
import type { Split } from '../ml/split.js';
import { SCHEMA_VERSION, type Measure, type ModelReport, type Report, type RunSettings } from '../results/report.js';

export interface ReportInputs {
  runId: string;
  createdAt: Date;
  interrupted: boolean;
  loaded: LoadedDataset;
  split: Split;
  folds: number[][] | null;
  /** How the run was asked to split: what the report says about its split and folds. */
  options: { seed: number; testSize: number; splitFile?: string; foldsFile?: string; tune?: boolean; missing?: string };
  /** What repeats the run (`trainpool train --from <run-id>`). */
  settings?: RunSettings;
  models: readonly ModelDefinition[];
  rows: ModelReport[];
  /** What the leaderboard sorts by. */
  sortBy: Measure;
  threads: number;
  /** Versions of what ran the tasks (trainpool, the backend's library). */
  versions: Record<string, string>;
  durationMs: number;
  budget?: Report['budget'];
  resumed?: Report['resumed'];
}

export function buildReport(x: ReportInputs): Report {
  const { dataset, spec, encoding, droppedRows } = x.loaded;
  const { options, split, folds } = x;
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: x.runId,
    createdAt: x.createdAt.toISOString(),
    status: x.interrupted ? 'interrupted' : 'complete',
    dataset: {
      name: dataset.name,
      source: dataset.source,
      rows: dataset.rows,
      features: dataset.cols,
      featureNames: dataset.featureNames,
      classes: dataset.classNames,
      classCounts: classCounts(dataset),
      sha256: dataset.sha256,
      ...(spec.file ? { file: spec.file } : {}),
      encoding,
      ...(options.missing === 'drop' ? { droppedRows } : {}),
      ...(x.loaded.fetch ? { fetch: x.loaded.fetch } : {}),
      // Every row's class: with the row indices of the split and folds, the truth that paired
      // tests and curves need, without the data.
      labels: Array.from(dataset.labels),
    },
    split: {
      seed: options.seed,
      testSize: options.splitFile ? split.test.length / dataset.rows : options.testSize,
      stratified: !options.splitFile,
      ...(options.splitFile ? { file: options.splitFile } : {}),
      train: split.train,
      test: split.test,
    },
    cv: folds ? { k: folds.length, ...(options.foldsFile ? { file: options.foldsFile } : {}), testFolds: folds } : null,
    tune: options.tune === true,
    threads: x.threads,
    nodeVersion: process.version,
    // Every library that trained a model, beside what ran the tasks.
    versions: {
      ...x.versions,
      ...Object.fromEntries(x.models.map((def) => [def.library.name, def.library.version])),
    },
    durationMs: x.durationMs,
    sortBy: x.sortBy,
    ...(x.budget ? { budget: x.budget } : {}),
    ...(x.resumed ? { resumed: x.resumed } : {}),
    ...(x.settings ? { settings: x.settings } : {}),
    models: x.rows,
  };
}

// `loadModel`: a model a run saved, ready to predict rows in memory. The rows are read as the run
// read its training data after encoding (its `featureNames`, in order), and the run's fitted
// scaler is applied before the estimator sees them.
import { basename, dirname, resolve } from 'node:path';
import { describeValue, UsageError } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { Library, Preprocessing } from '../ml/estimator.js';
import { gatherRows, type Matrix } from '../ml/matrix.js';
import { applyScaler } from '../ml/preprocess.js';
import { loadRegistry } from '../models/registry.js';
import { defaultResultsDir } from '../paths.js';
import { readReport, resolveRun, type Run } from '../results/read.js';
import { loadEstimator, readSavedModel, savedEntry } from '../results/saved-model.js';

/** Rows to predict: one array per row, or every row's features one after the other (row-major). */
export type Features = readonly (readonly number[])[] | Float64Array;

export interface LoadModelOptions {
  /** The model's id, when `path` names a run rather than a model file. */
  model?: string;
  /** The modules of models that are not built in (those the run recorded are added). */
  modelModule?: string | string[];
  /** Where run ids are looked up (default: results/ of the working directory's project). */
  resultsDir?: string;
}

export interface LoadedModel {
  id: string;
  runId: string;
  library: Library;
  params: JsonObject;
  preprocess: Preprocessing;
  /** Class names, in class-index order (the columns of predictProba). */
  classes: string[];
  /** The features a row must have, in order. */
  featureNames: string[];
  /** Whether predictProba is there. */
  probabilities: boolean;
  /** The predicted class name of each row. */
  predict(features: Features): string[];
  /** Each row's class probabilities, in the order of `classes`. */
  predictProba(features: Features): number[][];
}

/** The file names a saved model (`.../models/<id>.json`): its run folder and id; else undefined. */
function modelFileOf(path: string): { runDir: string; id: string } | undefined {
  const file = resolve(path);
  if (!file.endsWith('.json') || basename(dirname(file)) !== 'models') return undefined;
  return { runDir: dirname(dirname(file)), id: basename(file, '.json') };
}

/**
 * Loads a model a run saved: `path` is its file (`results/<run-id>/models/<id>.json`), or any run
 * reference `trainpool compare` takes (a run id or its start, `latest`, a run folder, a
 * report.json) with `options.model` naming the model.
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const file = modelFileOf(path);
  let run: Run;
  let id: string;
  if (file) {
    try {
      run = {
        id: basename(file.runDir),
        dir: file.runDir,
        report: await readReport(resolve(file.runDir, 'report.json')),
      };
    } catch (error) {
      throw new UsageError(`loadModel ${path}: ${(error as Error).message}`);
    }
    id = options.model ?? file.id;
  } else {
    if (options.model === undefined)
      throw new UsageError(
        `loadModel ${path}: name the model, loadModel(run, { model: "<id>" }), or give the path of its models/<id>.json`,
      );
    run = await resolveRun(path, resolve(options.resultsDir ?? defaultResultsDir()));
    id = options.model;
  }
  const entry = savedEntry(run, id, `model "${id}"`);
  const where = `run ${run.report.runId}`;
  const saved = await readSavedModel(run, entry.modelFile, id, where);
  const given =
    options.modelModule === undefined
      ? []
      : Array.isArray(options.modelModule)
        ? options.modelModule
        : [options.modelModule];
  // report.json is data: what it says the modules were is used only when it is a list of paths.
  const recorded: unknown = run.report.settings?.modelModule;
  const modules = [
    ...new Set([
      ...given.map((p) => resolve(p)),
      ...(Array.isArray(recorded) && recorded.every((p) => typeof p === 'string') ? (recorded as string[]) : []),
    ]),
  ];
  const { definition, estimator } = loadEstimator(await loadRegistry(modules), saved, `${where}: ${entry.modelFile}`);
  const { featureNames, classes } = run.report.dataset;

  const matrix = (features: Features): Matrix => {
    const cols = featureNames.length;
    let flat: Float64Array;
    if (features instanceof Float64Array) {
      if (features.length % cols !== 0)
        throw new UsageError(
          `predict: ${features.length} numbers are not whole rows of ${cols} features (${featureNames.join(', ')})`,
        );
      flat = features;
    } else if (Array.isArray(features)) {
      flat = new Float64Array(features.length * cols);
      features.forEach((row: unknown, i) => {
        if (!Array.isArray(row) || row.length !== cols)
          throw new UsageError(
            `predict: row ${i} ${Array.isArray(row) ? `has ${row.length} values` : `is ${describeValue(row)}`}; the model takes ${cols} features (${featureNames.join(', ')})`,
          );
        flat.set(row as number[], i * cols);
      });
    } else
      throw new UsageError(
        `predict: rows must be number[][] or a row-major Float64Array, not ${describeValue(features)}`,
      );
    const rows = flat.length / cols;
    return applyScaler(
      saved.scaler,
      gatherRows(
        flat,
        cols,
        Array.from({ length: rows }, (_, i) => i),
      ),
    );
  };
  return {
    id,
    runId: run.report.runId,
    library: saved.library ?? definition.library,
    params: entry.params,
    preprocess: entry.preprocess,
    classes,
    featureNames,
    probabilities: typeof estimator.predictProba === 'function',
    predict(features) {
      const X = matrix(features);
      if (X.rows === 0) return [];
      const predicted = estimator.predict(X);
      return Array.from({ length: X.rows }, (_, i) => {
        const name = classes[predicted[i]!];
        if (name === undefined)
          throw new Error(`model "${id}" predicted ${JSON.stringify(predicted[i])}, not a class index`);
        return name;
      });
    },
    predictProba(features) {
      if (typeof estimator.predictProba !== 'function')
        throw new UsageError(`model "${id}" has no probabilities; use predict()`);
      const X = matrix(features);
      if (X.rows === 0) return [];
      const proba = estimator.predictProba(X);
      const k = classes.length;
      return Array.from({ length: X.rows }, (_, i) => Array.from(proba.subarray(i * k, (i + 1) * k)));
    },
  };
}

import type { Dataset } from './data/dataset.js';
import type { ModelDefinition, Preprocessing } from './estimator.js';
import { expandGrid, pickBest } from './grid.js';
import type { JsonObject } from './json.js';
import { computeMetrics } from './metrics.js';
import type { Candidate, CvScores, ModelReport } from './report.js';
import type { Scheduler } from './scheduler.js';
import { foldTrainRows, type Split } from './split.js';
import { summarize } from './stats.js';
import type { SharedDataRef, TaskFailure, TaskResult, TrainTask } from './types.js';

export interface RunPlan {
  dataset: Dataset;
  split: Split;
  /** Test rows of each CV fold (indices into the data set, all within split.train), or none. */
  folds: number[][] | null;
  models: ModelDefinition[];
  seed: number;
  tune: boolean;
  /** Overrides every definition's own preprocessing when set. */
  preprocess?: Preprocessing;
  modules: string[];
}

export function toDataRef(dataset: Dataset): SharedDataRef {
  return {
    kind: 'shared',
    sha256: dataset.sha256,
    rows: dataset.rows,
    cols: dataset.cols,
    features: dataset.features.buffer as SharedArrayBuffer,
    labels: dataset.labels.buffer as SharedArrayBuffer,
    classes: dataset.classNames.length,
  };
}

export interface ModelDone {
  report: ModelReport;
  /** The saved final model, as JSON text, when it trained. */
  model?: string;
}

type Ok = Extract<TaskResult, { status: 'ok' }>;

function cvScores(plan: RunPlan, results: readonly Ok[]): CvScores {
  const labels = plan.dataset.labels;
  const metrics = results.map((r, f) =>
    computeMetrics(
      (plan.folds![f] as number[]).map((row) => labels[row] as number),
      r.predictions,
      plan.dataset.classNames,
    ),
  );
  return {
    k: results.length,
    accuracy: summarize(metrics.map((m) => m.accuracy)),
    balancedAccuracy: summarize(metrics.map((m) => m.balancedAccuracy)),
    macroPrecision: summarize(metrics.map((m) => m.macroPrecision)),
    macroRecall: summarize(metrics.map((m) => m.macroRecall)),
    macroF1: summarize(metrics.map((m) => m.macroF1)),
    fitMs: summarize(results.map((r) => r.fitMs)),
  };
}

const firstFailure = (results: readonly TaskResult[]) =>
  results
    .map((r, i) => ({ r, i }))
    .find((x): x is { r: { status: 'failed'; error: TaskFailure }; i: number } => x.r.status === 'failed');

/**
 * Evaluates one model: CV of each candidate (the defaults, or the whole grid with --tune), then
 * the final fit on the whole training part, scored on the test part. Every task goes through the
 * scheduler at once where it can, so the pool stays busy across models.
 */
export async function evaluateModel(plan: RunPlan, def: ModelDefinition, scheduler: Scheduler): Promise<ModelDone> {
  const data = toDataRef(plan.dataset);
  const preprocess = plan.preprocess ?? def.preprocess ?? 'none';
  const cost = def.cost ?? 1;
  const task = (params: JsonObject, train: number[], test: number[], keepModel: boolean): TrainTask => ({
    kind: 'train',
    modelId: def.id,
    params,
    preprocess,
    seed: plan.seed,
    data,
    train,
    test,
    modules: plan.modules,
    keepModel,
  });
  const folds = plan.folds;
  const candidates = plan.tune && def.grid ? expandGrid(def.params, def.grid) : [def.params];
  const base = { id: def.id, description: def.description, preprocess };

  const crossValidate = (params: JsonObject) =>
    Promise.all(
      folds!.map((fold) =>
        scheduler.submit(
          task(params, foldTrainRows(plan.split.train, fold), fold, false),
          cost * (1 - 1 / folds!.length),
        ),
      ),
    );
  const finalFit = (params: JsonObject) =>
    scheduler.submit(task(params, plan.split.train, plan.split.test, true), cost);

  let params = def.params;
  let cv: CvScores | undefined;
  let tuning: ModelReport['tuning'];
  let final: Promise<TaskResult>;
  if (!folds) {
    final = finalFit(params);
  } else if (candidates.length === 1) {
    // Nothing to choose: the final fit runs alongside the folds.
    final = finalFit(params);
    const results = await crossValidate(params);
    const failed = firstFailure(results);
    if (failed)
      return {
        report: { ...base, params, status: 'failed', error: { ...failed.r.error, task: `cv fold ${failed.i + 1}` } },
      };
    cv = cvScores(plan, results as Ok[]);
  } else {
    const all = await Promise.all(candidates.map(crossValidate));
    const scored: Candidate[] = all.map((results, c) => {
      const failed = firstFailure(results);
      const cand = candidates[c] as JsonObject;
      return failed
        ? { params: cand, status: 'failed', error: failed.r.error }
        : { params: cand, status: 'ok', cv: cvScores(plan, results as Ok[]) };
    });
    const best = pickBest(scored.map((s) => (s.cv ? s.cv.accuracy : undefined)));
    tuning = { candidates: scored, best: best ?? null };
    if (best === undefined) {
      const error = scored[0]!.error!;
      return {
        report: { ...base, params, tuning, status: 'failed', error: { ...error, task: 'every grid candidate' } },
      };
    }
    params = scored[best]!.params;
    cv = scored[best]!.cv;
    final = finalFit(params);
  }

  const result = await final;
  if (result.status === 'failed')
    return { report: { ...base, params, cv, tuning, status: 'failed', error: { ...result.error, task: 'final fit' } } };
  const yTest = plan.split.test.map((row) => plan.dataset.labels[row] as number);
  const report: ModelReport = {
    ...base,
    params,
    ...(cv ? { cv } : {}),
    ...(tuning ? { tuning } : {}),
    status: 'ok',
    ...(yTest.length > 0 ? { metrics: computeMetrics(yTest, result.predictions, plan.dataset.classNames) } : {}),
    predictions: result.predictions,
    timings: { fitMs: result.fitMs, predictMs: result.predictMs },
  };
  return result.model === undefined ? { report } : { report, model: result.model };
}

import type { Dataset } from '../data/dataset.js';
import type { ModelDefinition, Preprocessing } from '../ml/estimator.js';
import { expandGrid, pickBest } from '../ml/grid.js';
import type { JsonObject } from '../json.js';
import { computeMetrics } from '../ml/metrics.js';
import type { Candidate, CvScores, ModelReport } from '../results/report.js';
import type { Scheduler } from '../execution/scheduler.js';
import { foldTrainRows, type Split } from '../ml/split.js';
import { summarize } from '../ml/stats.js';
import type { SharedDataRef, TaskFailure, TaskResult, TrainTask, TriedResult } from '../execution/protocol.js';

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

/** Why the scheduler withdrew a task: another task of the same candidate had already failed. */
class Withdrawn extends Error {
  override readonly name = 'Withdrawn';
}

/** The failure to report: the first real one, not a task withdrawn because of it. */
function firstFailure(results: readonly TaskResult[]) {
  const failed = results
    .map((r, i) => ({ r, i }))
    .filter((x): x is { r: { status: 'failed'; error: TaskFailure }; i: number } => x.r.status === 'failed');
  return failed.find((x) => x.r.error.name !== 'Withdrawn') ?? failed[0];
}

/**
 * Evaluates one model: CV of each candidate (the defaults, or the whole grid with --tune), then
 * the final fit on the whole training part, scored on the test part. Every task goes through the
 * scheduler at once where it can, so the pool stays busy across models.
 */
export async function evaluateModel(
  plan: RunPlan,
  def: ModelDefinition,
  scheduler: Pick<Scheduler, 'submit'>,
): Promise<ModelDone> {
  // The report records the most tries any one of the model's tasks took, when a retry happened.
  let attempts = 1;
  const tracked = {
    submit: async (task: TrainTask, priority: number, withdraw?: AbortSignal) => {
      const result: TriedResult = await scheduler.submit(task, priority, withdraw);
      attempts = Math.max(attempts, result.attempts ?? 1);
      return result;
    },
  };
  const done = await evaluate(plan, def, tracked);
  return attempts > 1 ? { ...done, report: { ...done.report, attempts } } : done;
}

async function evaluate(plan: RunPlan, def: ModelDefinition, scheduler: Pick<Scheduler, 'submit'>): Promise<ModelDone> {
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

  // Every candidate's tasks share these arrays: a big grid holds one copy of each fold's rows.
  const foldTrain = folds?.map((fold) => foldTrainRows(plan.split.train, fold));
  // Once one task of a candidate has failed, the candidate has failed: its tasks that have not
  // started are withdrawn (a model stuck in a loop costs one timeout per running fold, not one
  // per fold), and so is a final fit queued beside them.
  const failFast = () => {
    const controller = new AbortController();
    const watch = (result: TaskResult) => {
      if (result.status === 'failed' && !controller.signal.aborted)
        controller.abort(new Withdrawn('not run: another task of this candidate failed first'));
      return result;
    };
    return { signal: controller.signal, watch };
  };
  const crossValidate = (params: JsonObject, fast = failFast()) =>
    Promise.all(
      folds!.map((fold, f) =>
        scheduler
          .submit(task(params, foldTrain![f]!, fold, false), cost * (1 - 1 / folds!.length), fast.signal)
          .then(fast.watch),
      ),
    );
  const finalFit = (params: JsonObject, withdraw?: AbortSignal) =>
    scheduler.submit(task(params, plan.split.train, plan.split.test, true), cost, withdraw);

  let params = def.params;
  let cv: CvScores | undefined;
  let tuning: ModelReport['tuning'];
  let final: Promise<TaskResult>;
  if (!folds) {
    final = finalFit(params);
  } else if (candidates.length === 1) {
    // Nothing to choose: the final fit runs alongside the folds, and fails fast with them.
    const fast = failFast();
    final = finalFit(params, fast.signal).then(fast.watch);
    const results = await crossValidate(params, fast);
    const failed = firstFailure(results);
    // Folds withdrawn and none failed itself: the final fit failed first; it is reported below.
    const withdrawnOnly = failed?.r.error.name === 'Withdrawn';
    if (failed && !withdrawnOnly)
      return {
        report: { ...base, params, status: 'failed', error: { ...failed.r.error, task: `cv fold ${failed.i + 1}` } },
      };
    if (!withdrawnOnly) cv = cvScores(plan, results as Ok[]);
  } else {
    const all = await Promise.all(candidates.map((c) => crossValidate(c)));
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

/** How many tasks evaluateModel hands the scheduler for a model when none fails: for progress. */
export function plannedTasks(plan: Pick<RunPlan, 'tune' | 'folds'>, def: ModelDefinition): number {
  const candidates = plan.tune && def.grid ? expandGrid(def.params, def.grid).length : 1;
  return (plan.folds ? candidates * plan.folds.length : 0) + 1;
}

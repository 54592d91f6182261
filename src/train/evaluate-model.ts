// One model on one data set: CV of each candidate (the defaults, or the whole grid with --tune),
// then the final fit on the whole training part, scored on the test part. Every task goes to the
// scheduler as soon as it can, so that the pool stays busy across models.
import type { JsonObject } from '../json.js';
import type { Scheduler } from '../execution/scheduler.js';
import type { TaskFailure, TaskResult, TaskStop, TrainTask } from '../execution/protocol.js';
import { expectedCost, type ModelDefinition } from '../ml/estimator.js';
import { pickBest } from '../ml/grid.js';
import { computeMetrics, METRICS } from '../ml/metrics.js';
import { foldTrainRows } from '../ml/split.js';
import { summarize, type Summary } from '../ml/stats.js';
import {
  encodeProbabilities,
  type Candidate,
  type CvScores,
  type ModelReport,
  type OkModelReport,
} from '../results/report.js';
import { candidatesOf, toDataRef, type RunPlan } from './plan.js';

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
      plan.folds![f]!.map((row) => labels[row]!),
      r.predictions,
      plan.dataset.classNames,
      r.proba,
    ),
  );
  // A fold without a value (no probabilities, or a score undefined on its rows) leaves no mean.
  const perMetric = Object.fromEntries(
    METRICS.map(({ id }) => {
      const values = metrics.map((m) => m[id]);
      return [id, values.some((v) => v === null) ? null : summarize(values as number[])];
    }),
  ) as unknown as Omit<CvScores, 'k' | 'fitMs'>;
  return { k: results.length, ...perMetric, fitMs: summarize(results.map((r) => r.fitMs)) };
}

/** The folds' predictions (and probabilities, when every fold has them), as the report keeps them. */
function outOfFold(plan: RunPlan, results: readonly Ok[]): NonNullable<OkModelReport['outOfFold']> {
  const classes = plan.dataset.classNames.length;
  const probabilities = results.every((r) => r.proba)
    ? results.map((r) => encodeProbabilities(r.proba!, classes))
    : null;
  return { predictions: results.map((r) => r.predictions), probabilities };
}

/** How a set of tasks ended together: a failure decides, else a stop, else all are ok. */
type Verdict =
  | { kind: 'ok'; results: Ok[] }
  | { kind: 'failed'; index: number; error: TaskFailure }
  | { kind: 'not-run'; index: number; reason: TaskStop };

function verdict(results: readonly TaskResult[]): Verdict {
  const failed = results.findIndex((r) => r.status === 'failed');
  if (failed !== -1) return { kind: 'failed', index: failed, error: (results[failed] as { error: TaskFailure }).error };
  // Withdrawn tasks only follow a failure; the failure decides (found above or elsewhere).
  const stopped = results.findIndex((r) => r.status === 'not-run');
  if (stopped !== -1)
    return { kind: 'not-run', index: stopped, reason: (results[stopped] as { reason: TaskStop }).reason };
  return { kind: 'ok', results: results as Ok[] };
}

/** Seconds a task on these rows is expected to take; what the scheduler orders by. */
const costOf = (plan: RunPlan, def: ModelDefinition, params: JsonObject, rows: number) =>
  expectedCost(def, { rows, features: plan.dataset.cols, classes: plan.dataset.classNames.length, params });

/** The tasks evaluateModel hands the scheduler for a model when none fails, and their cost: for progress. */
export function plannedWork(plan: RunPlan, def: ModelDefinition): { tasks: number; cost: number } {
  const candidates = candidatesOf(plan, def);
  const foldCost = (params: JsonObject) =>
    (plan.folds ?? []).reduce((sum, fold) => sum + costOf(plan, def, params, plan.split.train.length - fold.length), 0);
  return {
    tasks: (plan.folds ? candidates.length * plan.folds.length : 0) + 1,
    cost: candidates.reduce((sum, c) => sum + foldCost(c), 0) + costOf(plan, def, def.params, plan.split.train.length),
  };
}

export async function evaluateModel(
  plan: RunPlan,
  def: ModelDefinition,
  scheduler: Pick<Scheduler, 'submit'>,
): Promise<ModelDone> {
  const data = toDataRef(plan.dataset);
  const preprocess = plan.preprocess ?? def.preprocess ?? 'none';
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
  const candidates = candidatesOf(plan, def);
  const base = {
    id: def.id,
    description: def.description,
    library: def.library,
    preprocess,
    ...(def.baseline ? { baseline: true as const } : {}),
  };
  // The report records the most tries any one of the model's tasks took, when a retry happened.
  let attempts = 1;
  const counted = (result: TaskResult) => {
    attempts = Math.max(attempts, result.attempts ?? 1);
    return result;
  };
  const done = (report: ModelReport, model?: string): ModelDone => {
    const row = attempts > 1 ? { ...report, attempts } : report;
    return model === undefined ? { report: row } : { report: row, model };
  };

  // Every candidate's tasks share these arrays: a big grid holds one copy of each fold's rows.
  const foldTrain = folds?.map((fold) => foldTrainRows(plan.split.train, fold));
  // Once one task of a candidate has failed, the candidate has failed: its tasks that have not
  // started are withdrawn (a model stuck in a loop costs one timeout per running fold, not one
  // per fold), and so is a final fit queued beside them.
  const failFast = () => {
    const controller = new AbortController();
    const watch = (result: TaskResult) => {
      counted(result);
      if (result.status === 'failed' && !controller.signal.aborted)
        controller.abort(new Error('not run: another task of this candidate failed first'));
      return result;
    };
    return { signal: controller.signal, watch };
  };
  const crossValidate = (params: JsonObject, fast = failFast()) =>
    Promise.all(
      folds!.map((fold, f) =>
        scheduler
          .submit(
            task(params, foldTrain![f]!, fold, false),
            costOf(plan, def, params, foldTrain![f]!.length),
            fast.signal,
          )
          .then(fast.watch),
      ),
    );
  const finalFit = (params: JsonObject, withdraw?: AbortSignal) =>
    scheduler
      .submit(
        task(params, plan.split.train, plan.split.test, true),
        costOf(plan, def, params, plan.split.train.length),
        withdraw,
      )
      .then(counted);

  let params = def.params;
  let cv: CvScores | undefined;
  let tuning: ModelReport['tuning'];
  let oof: OkModelReport['outOfFold'];
  let final: Promise<TaskResult>;
  if (!folds) {
    final = finalFit(params);
  } else if (candidates.length === 1) {
    // Nothing to choose: the final fit runs alongside the folds, and fails fast with them.
    const fast = failFast();
    final = finalFit(params, fast.signal).then(fast.watch);
    const outcome = verdict(await crossValidate(params, fast));
    if (outcome.kind === 'failed')
      return done({
        ...base,
        params,
        status: 'failed',
        error: { ...outcome.error, task: `cv fold ${outcome.index + 1}` },
      });
    if (outcome.kind === 'not-run') {
      const finalResult = await final;
      // Folds withdrawn because the final fit failed first: that failure is reported below.
      if (!(outcome.reason.kind === 'withdrawn' && finalResult.status === 'failed'))
        return done({ ...base, params, status: 'not-run', reason: outcome.reason });
    } else {
      cv = cvScores(plan, outcome.results);
      oof = outOfFold(plan, outcome.results);
    }
  } else {
    // Only the leading candidate's fold results are kept as they arrive (their out-of-fold
    // predictions go into the report): a big grid does not hold every candidate's probabilities.
    // The final winner led from the moment its folds finished, so it is the one kept.
    const scores: (Summary | undefined)[] = candidates.map(() => undefined);
    let leader: { index: number; results: Ok[] } | undefined;
    const scored: Candidate[] = await Promise.all(
      candidates.map((cand, c) =>
        crossValidate(cand).then((results): Candidate => {
          const outcome = verdict(results);
          if (outcome.kind === 'failed') return { params: cand, status: 'failed', error: outcome.error };
          if (outcome.kind === 'not-run') return { params: cand, status: 'not-run', reason: outcome.reason };
          const summary = cvScores(plan, outcome.results);
          scores[c] = summary.accuracy;
          if (pickBest(scores) === c) leader = { index: c, results: outcome.results };
          return { params: cand, status: 'ok', cv: summary };
        }),
      ),
    );
    // A grid cut short by the run cannot name its winner.
    const stopped = scored.find((s) => s.status === 'not-run');
    if (stopped) {
      tuning = { candidates: scored, best: null };
      return done({ ...base, params, tuning, status: 'not-run', reason: stopped.reason! });
    }
    const best = pickBest(scored.map((s) => (s.cv?.accuracy ? s.cv.accuracy : undefined)));
    tuning = { candidates: scored, best: best ?? null };
    if (best === undefined) {
      const error = scored[0]!.error!;
      return done({ ...base, params, tuning, status: 'failed', error: { ...error, task: 'every grid candidate' } });
    }
    params = scored[best]!.params;
    cv = scored[best]!.cv;
    if (leader?.index === best) oof = outOfFold(plan, leader.results);
    final = finalFit(params);
  }

  const result = await final;
  if (result.status === 'failed')
    return done({ ...base, params, cv, tuning, status: 'failed', error: { ...result.error, task: 'final fit' } });
  if (result.status === 'not-run')
    return done({ ...base, params, cv, tuning, status: 'not-run', reason: result.reason });
  const yTest = plan.split.test.map((row) => plan.dataset.labels[row]!);
  const classes = plan.dataset.classNames.length;
  const report: ModelReport = {
    ...base,
    params,
    ...(cv ? { cv } : {}),
    ...(tuning ? { tuning } : {}),
    status: 'ok',
    ...(yTest.length > 0
      ? { metrics: computeMetrics(yTest, result.predictions, plan.dataset.classNames, result.proba) }
      : {}),
    predictions: result.predictions,
    ...(yTest.length > 0 ? { probabilities: result.proba ? encodeProbabilities(result.proba, classes) : null } : {}),
    ...(oof ? { outOfFold: oof } : {}),
    timings: { fitMs: result.fitMs, predictMs: result.predictMs },
  };
  return done(report, result.model);
}

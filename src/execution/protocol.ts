// What crosses a thread or a wire: tasks and their results. Everything here is plain data: tasks
// carry indices and a reference to the data, never rows; results are plain values (the wire turns
// their one typed array into JSON, bullmq/wire.ts), and every way a
// task can end without predictions is a kind of its own (a fault of the model or its worker, or a
// decision of the run), never an exception.
import type { Preprocessing } from '../ml/estimator.js';
import type { JsonObject } from '../json.js';

/** The data set as a worker sees it: shared memory it reads in place, keyed by content hash. */
export interface SharedDataRef {
  kind: 'shared';
  sha256: string;
  rows: number;
  cols: number;
  /** Row-major features, rows * cols float64. */
  features: SharedArrayBuffer;
  /** Class index per row, int32. */
  labels: SharedArrayBuffer;
  classes: number;
}

/**
 * The data set as a job on another machine carries it: its content hash and shape only. A worker
 * resolves it (fetching the bytes once per hash) to a SharedDataRef before the task runs.
 */
export interface HashDataRef {
  kind: 'hash';
  sha256: string;
  /**
   * sha256 of the features and labels as workers train on them, computed by the coordinator from
   * its own memory: what a worker checks the bytes it fetched against.
   */
  content: string;
  rows: number;
  cols: number;
  classes: number;
}

export type DataRef = SharedDataRef | HashDataRef;

export interface TrainTask {
  kind: 'train';
  /**
   * A hash of everything the result depends on (train/journal.ts), when the run gave one: the
   * same task has the same key in every run, so a journal finds its result and the BullMQ
   * backend shares one job between coordinators.
   */
  key?: string;
  modelId: string;
  params: JsonObject;
  preprocess: Preprocessing;
  seed: number;
  data: DataRef;
  /** Rows to fit on and rows to predict, as 0-based indices into the data set. */
  train: number[];
  test: number[];
  /** Absolute paths of user model modules (--model-module); the worker loads the same ones. */
  modules: string[];
  /** Whether to return the trained model as JSON (only final fits are kept). */
  keepModel: boolean;
}

/** A task that does nothing: its round trip is the pool's dispatch overhead. */
export interface PingTask {
  kind: 'ping';
}

export type Task = TrainTask | PingTask;

/** Faults of the model's code or of the worker running it: the task failed. */
export type FaultKind = 'threw' | 'crashed' | 'timeout' | 'out-of-memory';
/**
 * Decisions of the run: the task was stopped or never started. `aborted`: the run was
 * interrupted; `withdrawn`: another task of the same candidate had failed first; `budget`: the
 * run's time budget ran out.
 */
export type StopKind = 'aborted' | 'withdrawn' | 'budget';
export type FailureKind = FaultKind | StopKind;

export const FAULT_KINDS: readonly FaultKind[] = ['threw', 'crashed', 'timeout', 'out-of-memory'];
export const STOP_KINDS: readonly StopKind[] = ['aborted', 'withdrawn', 'budget'];

export interface TaskFailure {
  kind: FaultKind;
  /** The error's class name where there is one, e.g. "RangeError". */
  name: string;
  message: string;
}

export interface TaskStop {
  kind: StopKind;
  message: string;
}

export type TaskResult = (
  | {
      status: 'ok';
      /** Predicted class index per `test` row, in the same order. */
      predictions: number[];
      /**
       * Class probabilities per `test` row (rows x classes, row-major), when the model has them:
       * one typed array, which crosses a thread boundary as a single copy of its bytes.
       */
      proba?: Float64Array;
      fitMs: number;
      predictMs: number;
      /** The fitted pipeline (scaler and estimator) as a JSON string, when `keepModel` was set. */
      model?: string;
    }
  | { status: 'failed'; error: TaskFailure }
  | { status: 'not-run'; reason: TaskStop }
) & {
  /** Tries this result took, when more than one (set by the retrying executor). */
  attempts?: number;
};

export function failure(kind: FaultKind, error: unknown): TaskResult {
  const e = error instanceof Error ? error : new Error(String(error));
  return { status: 'failed', error: { kind, name: e.name, message: e.message } };
}

export function notRun(kind: StopKind, reason: unknown): TaskResult {
  const message = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'not run';
  return { status: 'not-run', reason: { kind, message } };
}

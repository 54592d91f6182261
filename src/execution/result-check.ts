// A result from outside this process (a worker on another machine, a journal on disk) checked
// against the task it answers before anything believes it: its shape, one prediction per test row,
// each a class index of the data set, finite non-negative timings, a saved model only where one
// was asked for and of the model asked for, a plausible number of tries. A result that does not
// fit is a failed task whose message says what was wrong, never an exception.
import { z } from 'zod';
import { FAULT_KINDS, STOP_KINDS, type FaultKind, type StopKind, type TaskResult, type TrainTask } from './protocol.js';

/** Longest error name or message believed from outside; longer ones are not a model's words. */
const MAX_TEXT = 10_000;
const text = z.string().max(MAX_TEXT);
const duration = z.number().nonnegative();
const attempts = z.number().int().min(2).optional();

const okSchema = z.strictObject({
  status: z.literal('ok'),
  predictions: z.array(z.number().int()),
  /** Row-major test rows x classes, as JSON carries it (bullmq/wire.ts's toWire). */
  proba: z.array(z.number()).optional(),
  fitMs: duration,
  predictMs: duration,
  model: z.string().optional(),
  attempts,
});

/** Strict: a field this schema does not name never reaches a report. */
export const taskResultSchema = z.discriminatedUnion('status', [
  okSchema,
  z.strictObject({
    status: z.literal('failed'),
    error: z.strictObject({ kind: z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]]), name: text, message: text }),
    attempts,
  }),
  z.strictObject({
    status: z.literal('not-run'),
    reason: z.strictObject({ kind: z.enum(STOP_KINDS as [StopKind, ...StopKind[]]), message: text }),
    attempts,
  }),
]);

// Fails to compile when a successful result gains a field this schema would refuse.
type Unchecked = Exclude<keyof Extract<TaskResult, { status: 'ok' }>, keyof z.infer<typeof okSchema>>;
const schemaCoversResult: [Unchecked] extends [never] ? true : false = true;
void schemaCoversResult;

/**
 * A result as JSON carries it (a BullMQ job's return value, a journal line): the probabilities as
 * a plain array of numbers, which JSON writes and reads back exactly. Coming back, a result is
 * checked against its task, and its probabilities turned back, by resultProblem below.
 */
type OkResult = Extract<TaskResult, { status: 'ok' }>;
export type WireResult = Exclude<TaskResult, OkResult> | (Omit<OkResult, 'proba'> & { proba?: number[] });

export function toWire(result: TaskResult): WireResult {
  if (result.status !== 'ok') return result;
  const { proba, ...rest } = result;
  return proba ? { ...rest, proba: Array.from(proba) } : rest;
}

/** A result that cannot be believed, as the failed task it becomes. */
export function invalidResult(problem: string): TaskResult {
  return { status: 'failed', error: { kind: 'crashed', name: 'InvalidResult', message: problem } };
}

/**
 * The result, when it fits `task`; otherwise why not, in one line. `maxAttempts` bounds the tries
 * a result may claim (the retries the run allowed, plus the restarts of a worker that died).
 */
export function resultProblem(task: TrainTask, value: unknown, maxAttempts = Infinity): string | TaskResult {
  const parsed = taskResultSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `it is not a task result (${issue.path.join('.') || 'the result'}: ${issue.message})`;
  }
  const result = parsed.data as TaskResult;
  if ((result.attempts ?? 1) > maxAttempts)
    return `it claims ${result.attempts} tries where at most ${maxAttempts} were possible`;
  if (result.status !== 'ok') return result;
  const rows = task.test.length;
  if (result.predictions.length !== rows)
    return `it holds ${result.predictions.length} predictions for the task's ${rows} test rows`;
  const classes = task.data.classes;
  const outside = result.predictions.findIndex((p) => p < 0 || p >= classes);
  if (outside !== -1)
    return `prediction ${outside} is ${result.predictions[outside]}, not a class index 0..${classes - 1}`;
  const proba = (parsed.data as { proba?: number[] }).proba;
  if (proba !== undefined) {
    if (proba.length !== rows * classes)
      return `it holds ${proba.length} probabilities for ${rows} test rows of ${classes} classes`;
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        const p = proba[i * classes + c]!;
        if (!(p >= 0 && p <= 1)) return `probability ${c} of test row ${i} is ${p}, not in [0, 1]`;
        sum += p;
      }
      if (Math.abs(sum - 1) > 1e-6) return `the probabilities of test row ${i} sum to ${sum}, not 1`;
    }
  }
  if (task.keepModel !== (result.model !== undefined))
    return task.keepModel
      ? 'it holds no trained model, and this fit is to be kept'
      : 'it holds a model nobody asked for';
  if (result.model !== undefined) {
    let model: unknown;
    try {
      model = JSON.parse(result.model);
    } catch {
      return 'its trained model is not JSON';
    }
    const id = (model as { modelId?: unknown } | null)?.modelId;
    if (id !== task.modelId) return `its trained model is of ${JSON.stringify(id)}, not of "${task.modelId}"`;
  }
  return proba === undefined ? result : { ...result, proba: Float64Array.from(proba) };
}

/** The result if it fits its task, else the failed task it becomes, saying where it came from. */
export function checkedResult(task: TrainTask, value: unknown, from: string, maxAttempts?: number): TaskResult {
  const checked = resultProblem(task, value, maxAttempts);
  return typeof checked === 'string'
    ? invalidResult(`${from} does not fit its task: ${checked}; it was refused`)
    : checked;
}

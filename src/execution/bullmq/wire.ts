// What the coordinator and the workers agree on: the queue, the Redis keys next to it, and the
// job payload. Both sides run from clones of the same repository; PROTOCOL changes whenever the
// payload does, so a worker from an older clone refuses a job instead of misreading it.
import { z } from 'zod';
import {
  FAULT_KINDS,
  STOP_KINDS,
  type HashDataRef,
  type PingTask,
  type TaskResult,
  type TrainTask,
} from '../protocol.js';

export const PROTOCOL = 3;

/** BullMQ's key prefix and the one queue every worker serves. Runs are told apart by job id. */
export const PREFIX = 'trainpool';
export const QUEUE = 'tasks';

export const keys = {
  /** A data set's bytes and shape, stored once per content hash. */
  data: (sha256: string) => `${PREFIX}-data:${sha256}`,
  /** Ids of workers that announced themselves. */
  workers: () => `${PREFIX}-workers`,
  /** One worker's announcement (threads, host); expires unless the worker renews it. */
  worker: (id: string) => `${PREFIX}-worker:${id}`,
  /** Pub/sub channel on which a coordinator asks workers to abort jobs that already started. */
  cancel: () => `${PREFIX}-cancel`,
};

/** How long a data set stays in Redis after the last run that stored it. */
export const DATA_TTL_SECONDS = 7 * 24 * 3600;
/** Workers renew their announcement this often; it expires after three missed renewals. */
export const HEARTBEAT_MS = 3_000;
export const HEARTBEAT_TTL_SECONDS = 10;

export type RemoteTrainTask = Omit<TrainTask, 'data'> & { data: HashDataRef };
export type RemoteTask = RemoteTrainTask | PingTask;

export interface JobData {
  protocol: number;
  /** The coordinator's run key; job ids are `<run>-<n>`. */
  run: string;
  task: RemoteTask;
  /** Per-task limit, enforced by the worker (the thread is terminated, as locally). */
  timeoutMs?: number;
  /** Extra tries on the worker for a crash, out-of-memory or timeout (ReliableExecutor, as locally). */
  retries?: number;
}

export interface WorkerAnnouncement {
  id: string;
  host: string;
  pid: number;
  threads: number;
}

export interface CancelMessage {
  jobIds: string[];
}

const failureSchema = z.looseObject({
  kind: z.enum(FAULT_KINDS as [string, ...string[]]),
  name: z.string(),
  message: z.string(),
});
const stopSchema = z.looseObject({ kind: z.enum(STOP_KINDS as [string, ...string[]]), message: z.string() });

/**
 * A worker's result, checked: a report never holds what a mismatched worker made up. Loose
 * objects keep fields this schema does not know yet, so the result reaches the report as is.
 */
const attempts = z.number().int().min(2).optional();

const taskResultSchema = z.union([
  z.looseObject({
    status: z.literal('ok'),
    predictions: z.array(z.number().int()),
    proba: z.array(z.number()).optional(),
    fitMs: z.number(),
    predictMs: z.number(),
    model: z.string().optional(),
    attempts,
  }),
  z.looseObject({ status: z.literal('failed'), error: failureSchema, attempts }),
  z.looseObject({ status: z.literal('not-run'), reason: stopSchema, attempts }),
]) as unknown as z.ZodType<WireResult>;

/**
 * A result as JSON carries it (a job's return value is stored as JSON text): the probabilities as
 * a plain array of numbers, which JSON writes and reads back exactly.
 */
type OkResult = Extract<TaskResult, { status: 'ok' }>;
export type WireResult = Exclude<TaskResult, OkResult> | (Omit<OkResult, 'proba'> & { proba?: number[] });

export function toWire(result: TaskResult): WireResult {
  if (result.status !== 'ok') return result;
  const { proba, ...rest } = result;
  return proba ? { ...rest, proba: Array.from(proba) } : rest;
}

/** A checked wire result, its probabilities back in a Float64Array. */
export function fromWire(value: unknown): TaskResult | undefined {
  const parsed = taskResultSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const result = parsed.data;
  if (result.status !== 'ok') return result;
  const { proba, ...rest } = result;
  return proba ? { ...rest, proba: Float64Array.from(proba) } : rest;
}

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

export const PROTOCOL = 2;

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

export const taskResultSchema = z.union([
  z.looseObject({
    status: z.literal('ok'),
    predictions: z.array(z.number().int()),
    fitMs: z.number(),
    predictMs: z.number(),
    model: z.string().optional(),
    attempts,
  }),
  z.looseObject({ status: z.literal('failed'), error: failureSchema, attempts }),
  z.looseObject({ status: z.literal('not-run'), reason: stopSchema, attempts }),
]) as unknown as z.ZodType<TaskResult>;

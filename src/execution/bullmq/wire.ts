// What the coordinator and the workers agree on: the queue, the Redis keys next to it, and the
// job payload. Both sides run from clones of the same repository; PROTOCOL changes whenever the
// payload does, so a worker from an older clone refuses a job instead of misreading it.
import { z } from 'zod';
import type { WireResult } from '../result-check.js';
import type { HashDataRef, PingTask, TaskResult, TrainTask } from '../protocol.js';

export const PROTOCOL = 4;

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
  /** A coordinator's heartbeat (by run key): one whose key expired is gone, and waits on nothing. */
  coordinator: (runKey: string) => `${PREFIX}-coordinator:${runKey}`,
  /** The coordinators waiting on a job (by run key): the last one to stop waiting removes the job. */
  waiters: (jobId: string) => `${PREFIX}-waiters:${jobId}`,
  /** A short-lived key each client writes every second: Redis refusing it means it refuses every write. */
  probe: (id: string) => `${PREFIX}-probe:${id}`,
  /** Pub/sub channel on which a coordinator asks workers to abort jobs that already started. */
  cancel: () => `${PREFIX}-cancel`,
};

/** How long a data set stays in Redis after the last run that stored it. */
export const DATA_TTL_SECONDS = 7 * 24 * 3600;
/** Workers renew their announcement this often; it expires after three missed renewals. */
export const HEARTBEAT_MS = 3_000;
export const HEARTBEAT_TTL_SECONDS = 10;
/** A job that stalls (its worker died) this many times fails instead of going back again. */
export const MAX_STALLED = 2;

/** A model module as a job names it: a file name the worker looks up among its own, and its content hash. */
export interface ModuleRef {
  name: string;
  sha256: string;
}

export type RemoteTrainTask = Omit<TrainTask, 'data' | 'modules'> & { data: HashDataRef; modules: ModuleRef[] };
export type RemoteTask = RemoteTrainTask | PingTask;

export interface JobData {
  protocol: number;
  /** The coordinator's run key (for people reading the queue); job ids are the tasks' own keys. */
  run: string;
  task: RemoteTask;
  /** Per-task limit, enforced by the worker (the thread is terminated, as locally). */
  timeoutMs?: number;
  /** Extra tries on the worker for a crash, out-of-memory or timeout (ReliableExecutor, as locally). */
  retries?: number;
  /** HMAC of everything above and the job id, with TRAINPOOL_SECRET (sign.ts), when the coordinator has it. */
  signature?: string;
}

/**
 * What a worker returns for a job: the task's result, the sha256 the worker computed over the data
 * set it trained on (the coordinator compares it with its own), and, with a secret, the HMAC of
 * both and the job id.
 */

export interface JobReturn {
  /** As JSON carries it (toWire). */
  result: WireResult;
  dataSha256?: string;
  signature?: string;
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

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const indices = z.array(z.number().int().nonnegative());

/**
 * A job as a worker checks it before doing anything with it: a job that does not fit is refused
 * with the first problem found, whoever wrote it.
 */
export const jobDataSchema = z.strictObject({
  protocol: z.number(),
  run: z.string().max(200),
  task: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('ping') }),
    z.strictObject({
      kind: z.literal('train'),
      key: z.string().max(200).optional(),
      modelId: z.string().max(200),
      params: z.record(z.string(), z.json()),
      preprocess: z.enum(['standardize', 'minmax', 'none']),
      seed: z.number().int(),
      data: z.strictObject({
        kind: z.literal('hash'),
        sha256,
        content: sha256,
        rows: z.number().int().positive(),
        cols: z.number().int().positive(),
        classes: z.number().int().min(2),
      }),
      train: indices,
      test: indices,
      modules: z.array(z.strictObject({ name: z.string().max(1000), sha256 })),
      keepModel: z.boolean(),
    }),
  ]),
  timeoutMs: z.number().positive().optional(),
  retries: z.number().int().min(0).max(100).optional(),
  signature: z.string().optional(),
});

/** The envelope of a worker's result; the result itself is checked against its task (result-check.ts). */
export const jobReturnSchema = z.strictObject({
  result: z.unknown(),
  dataSha256: sha256.optional(),
  signature: z.string().optional(),
});

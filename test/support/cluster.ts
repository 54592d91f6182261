// A redis-server and `npm run worker` processes for one test file, always cleaned up.
import { onTestFinished } from 'vitest';
import { startRedisServer, startWorkerProcess, type LocalRedis, type WorkerProcess } from './local-cluster.js';
import type { Report } from '../../src/results/report.js';

export interface Cluster {
  redis: LocalRedis;
  workers: WorkerProcess[];
  /** Starts one more worker. */
  addWorker(args?: readonly string[]): Promise<WorkerProcess>;
}

/** Starts Redis and `count` workers, inside a test; all of it is stopped when the test ends. */
export async function startCluster(
  count: number,
  workerArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<Cluster> {
  const redis = await startRedisServer();
  const workers: WorkerProcess[] = [];
  const cluster: Cluster = {
    redis,
    workers,
    async addWorker(args = workerArgs) {
      const worker = await startWorkerProcess(redis.url, args, env);
      workers.push(worker);
      return worker;
    },
  };
  onTestFinished(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await redis.stop(true);
  });
  // One at a time: a loaded machine starts them faster that way than all at once.
  for (let i = 0; i < count; i++) await cluster.addWorker();
  return cluster;
}

/**
 * What must not depend on where a task ran: every model row but its timings, and `attempts` when
 * `ignoreAttempts` (a task cut short by a killed worker is tried again only on the cluster).
 */
export function outcome(report: Report | undefined, ignoreAttempts = false) {
  if (!report) throw new Error('no report was written');
  return report.models.map((m) => {
    const row = ignoreAttempts ? { ...m, attempts: undefined } : m;
    if (row.status !== 'ok') return row;
    const { timings: _t, cv, ...rest } = row;
    return { ...rest, ...(cv ? { cv: { ...cv, fitMs: undefined } } : {}) };
  });
}

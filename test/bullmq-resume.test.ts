// On the BullMQ backend a task's job id is its journal key: two coordinators running the same
// tasks at once share the jobs (each task is computed once), and a coordinator killed mid-run and
// started again with --resume collects the jobs that finished while it was gone instead of
// computing them again. Every fit is counted where it happens, on the worker.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { outcome, startCluster } from './support/cluster.js';
import { fixture, runCli, tempDir, train } from './support/helpers.js';
import { listResults, readReport, start, waitUntil } from './support/processes.js';

const counted = fixture('models/counted.mjs');
const ARGS = ['--model-module', counted, '--models', 'counted', '--cv', '3'];
/** Fits of `counted`: three folds and the final fit. */
const FITS = 4;

const fits = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

describe('--backend bullmq: job ids are task keys', () => {
  it('two coordinators running the same tasks at once compute each task once', async () => {
    const log = join(tempDir(), 'fits');
    const cluster = await startCluster(1, ['--concurrency', '2', '--model-module', counted], { COUNTED_FIT_LOG: log });
    const bullmq = ['--backend', 'bullmq', '--redis', cluster.redis.url, ...ARGS];
    const [a, b] = await Promise.all([train(bullmq), train(bullmq)]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    expect(outcome(a.report)).toEqual(outcome(b.report));
    expect(fits(log)).toHaveLength(FITS);
    expect(new Set(fits(log)).size).toBe(FITS);
  }, 240_000);

  it('a coordinator killed mid-run and resumed collects what finished meanwhile; nothing is computed twice', async () => {
    const log = join(tempDir(), 'fits');
    const cluster = await startCluster(1, ['--concurrency', '2', '--model-module', counted], { COUNTED_FIT_LOG: log });
    const redis = new Redis(cluster.redis.url);
    onTestFinished(() => redis.disconnect());
    const resultsDir = tempDir();
    const bullmq = ['--results-dir', resultsDir, '--backend', 'bullmq', '--redis', cluster.redis.url];
    const env = { COUNTED_DELAY_MS: '3000' };
    const first = start('train', [...bullmq, ...ARGS, '--quiet'], env);
    // Killed while two slow fits run on the worker: they finish with nobody waiting.
    const deadline = Date.now() + 90_000;
    while ((await redis.llen('trainpool:tasks:active')) < 2) {
      if (Date.now() > deadline) throw new Error('two tasks never ran at once');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    await waitUntil('the orphaned tasks have finished', () => fits(log).length >= 2, 60_000);
    expect(listResults(resultsDir).hidden).toHaveLength(1);
    // Its heartbeat expires within seconds: from then on the jobs it waited on are nobody else's to keep.
    while ((await redis.keys('trainpool-coordinator:*')).length > 0) {
      if (Date.now() > deadline) throw new Error("the killed coordinator's heartbeat never expired");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const resumed = await runCli('train', [...bullmq, '--resume', 'latest', '--quiet'], env);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const [id] = listResults(resultsDir).runs;
    const report = readReport(resultsDir, id!);
    const local = await train(ARGS, env);
    expect(outcome(report)).toEqual(outcome(local.report));
    // Each of counted's fits happened once on the worker, those finished while no coordinator waited included.
    expect(fits(log)).toHaveLength(FITS);
    expect(new Set(fits(log)).size).toBe(FITS);
    // Nothing of the run stays in Redis once it has collected its jobs.
    const leftover = (await redis.keys('trainpool*')).filter((k) => /waiters|:task-/.test(k));
    expect(leftover).toEqual([]);
  }, 300_000);
});

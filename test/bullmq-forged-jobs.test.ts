// Jobs written into Redis by someone other than a coordinator: a worker runs only its built-in
// models and the modules on its own command line, matched by name, never a path a job names and
// never a file that is not JavaScript; with TRAINPOOL_SECRET it runs only jobs signed with it.
// Each forged job ends as a failed task or a refused job with a one-line reason, and the worker
// keeps serving.
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadIris } from '../src/data/iris.js';
import { storeData, toHashRef } from '../src/execution/bullmq/data-store.js';
import { PREFIX, PROTOCOL, QUEUE } from '../src/execution/bullmq/wire.js';
import { toDataRef } from '../src/train/plan.js';
import { startCluster } from './support/cluster.js';
import { root, tempDir } from './support/helpers.js';

const iris = toDataRef(loadIris());
const rows = (n: number, keep: (i: number) => boolean) => Array.from({ length: n }, (_, i) => i).filter(keep);

/** A job as a coordinator would write it, for `modelId`, with whatever `modules` the forger chose. */
const forged = (modelId: string, modules: unknown[]) => ({
  protocol: PROTOCOL,
  run: 'forger',
  task: {
    kind: 'train',
    modelId,
    params: {},
    preprocess: 'none',
    seed: 1,
    data: toHashRef(iris),
    train: rows(150, (i) => i % 5 !== 0),
    test: rows(150, (i) => i % 5 === 0),
    modules,
    keepModel: false,
  },
  retries: 0,
});

async function harness(url: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const eventsConnection = redis.duplicate();
  // The cluster may stop Redis before these close.
  for (const client of [redis, eventsConnection]) client.on('error', () => {});
  const queue = new Queue(QUEUE, { connection: redis, prefix: PREFIX });
  const events = new QueueEvents(QUEUE, { connection: eventsConnection, prefix: PREFIX });
  queue.on('error', () => {});
  events.on('error', () => {});
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  onTestFinished(async () => {
    await Promise.all([queue.close(), events.close()]);
    redis.disconnect();
    eventsConnection.disconnect();
  });
  await storeData(redis, iris);
  let n = 0;
  /** Adds the job and says how it ended: the worker's result, or the reason it refused the job. */
  const submit = async (data: unknown): Promise<{ result?: unknown; refused?: string }> => {
    const job = await queue.add('train', data, { jobId: `forged-${++n}`, attempts: 1 });
    try {
      return { result: await job.waitUntilFinished(events, 60_000) };
    } catch (error) {
      return { refused: (error as Error).message };
    }
  };
  return { redis, queue, submit };
}

/** The task's one-line reason, whether the job completed with a failed task or was refused. */
function reasonOf(outcome: { result?: unknown; refused?: string }): string {
  if (outcome.refused !== undefined) return outcome.refused;
  const value = outcome.result as { status?: string; error?: { message?: string }; result?: unknown };
  const result = (value.result ?? value) as { status?: string; error?: { message?: string } };
  expect(result.status).toBe('failed');
  return result.error!.message!;
}

describe('--backend bullmq: jobs forged in Redis', () => {
  it('a job naming a module path, a module not given to the worker or a non-JavaScript file runs nothing', async () => {
    const dir = tempDir('trainpool-forger-');
    const marker = join(dir, 'the-module-ran');
    const esm = `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default [];\n`;
    const cjs = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;
    const planted = join(dir, 'evil.mjs');
    const extensionless = join(dir, 'evil');
    const text = join(dir, 'evil.txt');
    writeFileSync(planted, esm);
    writeFileSync(extensionless, cjs);
    writeFileSync(text, cjs);
    const sha = (path: string) =>
      createHash('sha256')
        .update(path === planted ? esm : cjs)
        .digest('hex');

    const cluster = await startCluster(1, ['--concurrency', '1']);
    const { submit } = await harness(cluster.redis.url);

    const attempts: unknown[][] = [
      [planted],
      [`./${relative(root, planted)}`],
      [extensionless],
      [{ name: planted, sha256: sha(planted) }],
      [{ name: relative(root, planted), sha256: sha(planted) }],
      [{ name: '../../../../../../../..' + planted, sha256: sha(planted) }],
      [{ name: 'evil.mjs', sha256: sha(planted) }],
      [{ name: extensionless, sha256: sha(extensionless) }],
      [{ name: text, sha256: sha(text) }],
    ];
    for (const modules of attempts) {
      const reason = reasonOf(await submit(forged('evil', modules)));
      expect(reason, JSON.stringify(modules)).not.toContain('\n');
      expect(reason.length).toBeGreaterThan(10);
      expect(existsSync(marker), `a worker ran ${JSON.stringify(modules)}`).toBe(false);
    }
    // The worker still serves well-formed jobs for its built-in models.
    const ok = await submit(forged('knn', []));
    const value = ok.result as { status?: string; result?: { status?: string } };
    expect(value?.result?.status ?? value?.status).toBe('ok');
    expect(cluster.workers[0]!.child.exitCode).toBe(null);
  }, 240_000);

  it('with TRAINPOOL_SECRET, a worker refuses a job that is unsigned or signed with another secret', async () => {
    const cluster = await startCluster(1, ['--concurrency', '1'], { TRAINPOOL_SECRET: 'the workers know this' });
    const { submit } = await harness(cluster.redis.url);
    const unsigned = await submit(forged('knn', []));
    expect(unsigned.refused).toMatch(/not signed/);
    expect(unsigned.refused).not.toContain('\n');
    const wrong = await submit({ ...forged('knn', []), signature: 'a'.repeat(64) });
    expect(wrong.refused).toMatch(/signature/);
    expect(wrong.refused).not.toContain('\n');
    // The secret is never written to Redis nor printed.
    expect(cluster.workers[0]!.output()).not.toContain('the workers know this');
    expect(cluster.workers[0]!.output()).toMatch(/refused job forged-1: .*not signed/);
    expect(cluster.workers[0]!.child.exitCode).toBe(null);
  }, 240_000);
});

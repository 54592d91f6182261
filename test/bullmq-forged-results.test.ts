// Results and data written into Redis by someone other than a worker of the run: a result that
// does not fit its task (too short, a class index out of range), one computed on other data, a
// data set overwritten in Redis, and, with TRAINPOOL_SECRET, a plausible result that is unsigned
// or signed with another secret. Each is a failed task with a one-line reason in a complete
// report: the coordinator never crashes, and with a secret never reports a forged score.
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadIris } from '../src/data/iris.js';
import { storeData } from '../src/execution/bullmq/data-store.js';
import { sign } from '../src/execution/bullmq/sign.js';
import { PREFIX, PROTOCOL, QUEUE } from '../src/execution/bullmq/wire.js';
import { toDataRef } from '../src/train/plan.js';
import { startCluster } from './support/cluster.js';
import { startRedisServer } from './support/local-cluster.js';
import { train } from './support/helpers.js';

type Forge = (job: Job) => unknown;

interface TaskJob {
  task: { test: number[]; data: { content: string; classes: number } };
}

/** A rogue worker: takes the run's jobs from Redis and answers them with `forge`. */
async function rogue(url: string, forge: () => Forge) {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const worker = new Worker(QUEUE, async (job) => forge()(job), { connection, prefix: PREFIX, concurrency: 1 });
  worker.on('error', () => {});
  await worker.waitUntilReady();
  onTestFinished(async () => {
    await worker.close(true);
    connection.disconnect();
  });
}

/** The answer in the shape a worker of this protocol gives: the result, the data's hash, maybe a signature. */
const answer = (job: Job, result: unknown, extra: Record<string, unknown> = {}) => {
  const data = job.data as TaskJob;
  return PROTOCOL >= 3 ? { result, dataSha256: data.task.data.content, ...extra } : result;
};
const plausible = (job: Job) => ({
  status: 'ok',
  predictions: (job.data as TaskJob).task.test.map((_, i) => i % (job.data as TaskJob).task.data.classes),
  fitMs: 1,
  predictMs: 1,
});

const run = (url: string, env: NodeJS.ProcessEnv = {}) =>
  train(['--backend', 'bullmq', '--redis', url, '--models', 'knn', '--test-size', '0.2'], env);

function expectRefused(outcome: Awaited<ReturnType<typeof run>>, message: RegExp) {
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(1);
  const knn = outcome.report!.models[0]!;
  expect(knn).toMatchObject({ id: 'knn', status: 'failed', error: { kind: 'crashed' } });
  if (knn.status !== 'failed') throw new Error('unreachable');
  expect(knn.error.message).toMatch(message);
  expect(knn.error.message).not.toContain('\n');
}

describe('--backend bullmq: results and data forged in Redis', () => {
  it('a short result, an out-of-range one, or one computed on other data is a failed task, never a crash', async () => {
    const redis = await startRedisServer();
    onTestFinished(() => redis.stop(true));
    let forge: Forge = () => undefined;
    await rogue(redis.url, () => forge);

    forge = (job) => answer(job, { ...plausible(job), predictions: [0, 1, 2] });
    expectRefused(await run(redis.url), /3 predictions for the task's 30 test rows/);
    for (const bad of [99, -5]) {
      forge = (job) => answer(job, { ...plausible(job), predictions: plausible(job).predictions.map(() => bad) });
      expectRefused(await run(redis.url), new RegExp(`prediction 0 is ${bad}, not a class index 0..2`));
    }
    forge = (job) => ({ ...(answer(job, plausible(job)) as object), dataSha256: 'f'.repeat(64) });
    expectRefused(await run(redis.url), /the worker trained on other data than this coordinator's/);
    forge = (job) => answer(job, { ...plausible(job), fitMs: 'soon' });
    expectRefused(await run(redis.url), /it is not a task result \(fitMs: /);
  }, 240_000);

  it('a data set overwritten in Redis (with a hash to match) trains nothing: the tasks fail', async () => {
    const cluster = await startCluster(1, ['--concurrency', '1']);
    const redis = new Redis(cluster.redis.url);
    onTestFinished(() => redis.disconnect());
    // Iris under its own sha256, its labels rotated: what storeData would have written for it.
    const genuine = toDataRef(loadIris());
    const labels = new SharedArrayBuffer(genuine.labels.byteLength);
    const rotated = new Int32Array(labels);
    new Int32Array(genuine.labels).forEach((label, i) => (rotated[i] = (label + 1) % 3));
    await storeData(redis, { ...genuine, labels });
    expectRefused(await run(cluster.redis.url), /data set [0-9a-f]{12} in Redis is not the coordinator's/);
  }, 240_000);

  it('with TRAINPOOL_SECRET, a plausible result unsigned or signed with another secret is refused; signed ones train', async () => {
    const secret = 'only the run knows this';
    const env = { TRAINPOOL_SECRET: secret };
    const redis = await startRedisServer();
    onTestFinished(() => redis.stop(true));
    let forge: Forge = () => undefined;
    await rogue(redis.url, () => forge);

    forge = (job) => answer(job, plausible(job));
    const unsigned = await run(redis.url, env);
    expectRefused(unsigned, /the result of this task is not signed/);
    forge = (job) => {
      const signed = answer(job, plausible(job)) as Record<string, unknown>;
      return { ...signed, signature: sign('a guess', 'result', job.id!, signed) };
    };
    expectRefused(await run(redis.url, env), /signature does not match/);

    // The secret is in neither the output nor anything Redis holds.
    const client = new Redis(redis.url);
    onTestFinished(() => client.disconnect());
    const dump: string[] = [];
    for (const key of await client.keys('*')) {
      const type = await client.type(key);
      if (type === 'string') dump.push((await client.get(key)) ?? '');
      else if (type === 'hash') dump.push(JSON.stringify(await client.hgetall(key)));
      else if (type === 'list') dump.push(JSON.stringify(await client.lrange(key, 0, -1)));
      else if (type === 'set') dump.push(JSON.stringify(await client.smembers(key)));
      else if (type === 'zset') dump.push(JSON.stringify(await client.zrange(key, '0', '-1')));
      else if (type === 'stream') dump.push(JSON.stringify(await client.xrange(key, '-', '+')));
    }
    expect(dump.join('\n')).not.toContain(secret);
    expect(unsigned.stdout + unsigned.stderr).not.toContain(secret);
  }, 240_000);

  it('with TRAINPOOL_SECRET on the coordinator and its workers, the run is the local run', async () => {
    const env = { TRAINPOOL_SECRET: 'shared by the run' };
    const cluster = await startCluster(1, ['--concurrency', '1'], env);
    const [remote, local] = await Promise.all([
      train(['--backend', 'bullmq', '--redis', cluster.redis.url, '--cv', '3'], env),
      train(['--cv', '3']),
    ]);
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(0);
    expect(remote.report!.models.map((m) => [m.id, m.status, m.status === 'ok' && m.predictions])).toEqual(
      local.report!.models.map((m) => [m.id, m.status, m.status === 'ok' && m.predictions]),
    );
    // A coordinator without the secret sends unsigned jobs: the worker refuses them, in a line the report keeps.
    const unsigned = await train(['--backend', 'bullmq', '--redis', cluster.redis.url, '--models', 'knn']);
    expect(unsigned.code).toBe(1);
    const knn = unsigned.report!.models[0]!;
    expect(knn.status === 'failed' && knn.error.message).toMatch(/refused the job: not signed/);
  }, 240_000);
});

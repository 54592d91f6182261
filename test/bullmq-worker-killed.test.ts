import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { outcome, startCluster } from './support/cluster.js';
import { fixture, train } from './support/helpers.js';

// Quick stalled-job recovery for the test: locks last 4 s, every worker looks for stalled jobs
// each second (the defaults are 30 s each).
const RECOVERY = [
  '--concurrency',
  '1',
  '--lock-duration',
  '4000',
  '--stalled-interval',
  '1000',
  '--model-module',
  fixture('models/slow.mjs'),
];

describe('--backend bullmq: a worker process killed with SIGKILL mid-run', () => {
  it('has its task taken again by another worker; the run completes with identical metrics', async () => {
    const cluster = await startCluster(3, RECOVERY);
    const args = [
      '--cv',
      '5',
      '--models',
      'slow-centroid,logistic-regression',
      '--model-module',
      fixture('models/slow.mjs'),
    ];
    const redis = new Redis(cluster.redis.url);
    try {
      // Three-second fits: three of them surely overlap, even on a loaded machine.
      const env = { SLOW_CENTROID_DELAY_MS: '3000' };
      const remote = train(['--backend', 'bullmq', '--redis', cluster.redis.url, ...args], env);
      // Every worker holds a slow task once three are active; the first one dies holding its own.
      const deadline = Date.now() + 60_000;
      while ((await redis.llen('trainpool:tasks:active')) < 3) {
        if (Date.now() > deadline) throw new Error('three tasks never ran at once');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const victim = cluster.workers[0]!;
      expect(await victim.stop('SIGKILL')).toBe('SIGKILL');

      const [run, local] = await Promise.all([remote, train(args, env)]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(outcome(run.report, true)).toEqual(outcome(local.report, true));
      // The report says the slow model's task took a second try.
      expect(run.report!.models.find((m) => m.id === 'slow-centroid')).toMatchObject({ attempts: 2 });
      // BullMQ's stalled-job check, not luck, brought the task back.
      const events = await redis.xrange('trainpool:tasks:events', '-', '+');
      expect(events.some(([, fields]) => fields[1] === 'stalled')).toBe(true);
    } finally {
      redis.disconnect();
    }
  }, 240_000);
});

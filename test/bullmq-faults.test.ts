// Every fault on the BullMQ backend is the same row as on the local pool: a model that throws, a
// worker thread that exits, one that never returns (--timeout), one that crashes once (--retries),
// one that runs out of heap (the worker's --max-memory-mb); the worker process survives them all.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcome, startCluster } from './support/cluster.js';
import { fixture, tempDir, train } from './support/helpers.js';

const faulty = fixture('models/faulty.mjs');
const marker = () => join(tempDir('trainpool-marker-'), 'crashed');

describe('--backend bullmq: faulty models beside healthy ones', () => {
  it('report exactly the rows (cause, tries) of the same run on the local pool', async () => {
    const remoteMarker = marker();
    const cluster = await startCluster(1, ['--concurrency', '2', '--max-memory-mb', '64', '--model-module', faulty], {
      TRAINPOOL_CRASH_MARKER: remoteMarker,
    });
    const faults = ['--model-module', faulty, '--models', 'fault-throws,fault-exit,fault-loop,fault-crash-once,svm'];
    const limits = ['--timeout', '3', '--retries', '1'];
    const bullmq = ['--backend', 'bullmq', '--redis', cluster.redis.url];
    const [remote, local] = await Promise.all([
      train([...bullmq, ...faults, ...limits]),
      train([...faults, ...limits, '--threads', '2'], { TRAINPOOL_CRASH_MARKER: marker() }),
    ]);
    expect(remote.code).toBe(1);
    expect(remote.stderr).toBe('');
    expect(outcome(remote.report)).toEqual(outcome(local.report));
    expect(
      remote.report!.models.map((m) => [m.id, m.status, m.attempts, m.status === 'failed' && m.error.kind]),
    ).toEqual([
      ['fault-throws', 'failed', undefined, 'threw'],
      ['fault-exit', 'failed', 2, 'crashed'],
      ['fault-loop', 'failed', 2, 'timeout'],
      ['fault-crash-once', 'ok', 2, false],
      ['svm', 'ok', undefined, false],
    ]);

    // Out of memory: without a short timeout, which a loaded machine could hit first.
    const oom = ['--model-module', faulty, '--models', 'fault-oom,svm'];
    const [remoteOom, localOom] = await Promise.all([
      train([...bullmq, ...oom]),
      train([...oom, '--max-memory-mb', '64', '--threads', '2']),
    ]);
    expect(remoteOom.report!.models[0]).toMatchObject({ status: 'failed', error: { kind: 'out-of-memory' } });
    expect(outcome(remoteOom.report)).toEqual(outcome(localOom.report));

    expect(cluster.workers[0]!.child.exitCode).toBe(null);
  }, 300_000);
});

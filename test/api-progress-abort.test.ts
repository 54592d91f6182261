// train()'s onProgress hears what the console display shows (a run id claimed, each task starting
// and finishing, each model's row as it finishes, the report), on a callback or an EventEmitter;
// aborting its signal stops the run, whose report holds what finished.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { train, type ProgressEvent } from '../src/api/index.js';
import { fixture } from './support/helpers.js';

describe('train() progress and abort', () => {
  it('tells a callback every event of the run, in order', async () => {
    const events: ProgressEvent[] = [];
    const report = await train({
      models: ['knn', 'naive-bayes'],
      cv: 2,
      threads: 2,
      onProgress: (e) => events.push(e),
    });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-start');
    expect(types.at(-1)).toBe('run-done');
    // Two folds and the final fit per model.
    expect(types.filter((t) => t === 'task-start')).toHaveLength(6);
    expect(types.filter((t) => t === 'task-done')).toHaveLength(6);
    const start = events[0] as Extract<ProgressEvent, { type: 'run-start' }>;
    expect(start).toEqual({ type: 'run-start', runId: report.runId, dataset: 'iris' });
    const done = events.filter((e): e is Extract<ProgressEvent, { type: 'model-done' }> => e.type === 'model-done');
    expect(done.map((e) => e.model.id).sort()).toEqual(['knn', 'naive-bayes']);
    for (const e of done) {
      expect(e.dataset).toBe('iris');
      expect(e.model).toEqual(report.models.find((m) => m.id === e.model.id));
    }
    const last = done.at(-1)!;
    expect(last.progress).toMatchObject({ total: 6, done: 6, failed: 0, models: 2, modelsDone: 2 });
    expect(events.at(-1)).toEqual({ type: 'run-done', report });
    const task = events.find((e) => e.type === 'task-done')!;
    expect(task).toMatchObject({ dataset: 'iris', status: 'ok' });
  });

  it('emits each event on an EventEmitter by its type', async () => {
    const emitter = new EventEmitter();
    const finished: string[] = [];
    emitter.on('model-done', (e: Extract<ProgressEvent, { type: 'model-done' }>) => finished.push(e.model.id));
    await train({ models: ['knn'], threads: 1, onProgress: emitter });
    expect(finished).toEqual(['knn']);
  });

  it('stops when its signal aborts: the report is interrupted and says what did not run', async () => {
    const controller = new AbortController();
    const events: ProgressEvent[] = [];
    const report = await train({
      models: ['slow-centroid', 'knn'],
      modelModule: fixture('models/slow.mjs'),
      threads: 1,
      signal: controller.signal,
      onProgress: (e) => {
        events.push(e);
        if (e.type === 'task-start') controller.abort();
      },
    });
    expect(report.status).toBe('interrupted');
    expect(report.models.map((m) => m.status)).toEqual(['not-run', 'not-run']);
    expect(report.models.every((m) => m.status === 'not-run' && m.reason.kind === 'aborted')).toBe(true);
    expect(events.some((e) => e.type === 'stopping')).toBe(true);
  });
});

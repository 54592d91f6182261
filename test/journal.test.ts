// The run journal on its own: a task's key changes with everything its result depends on and with
// nothing else; what is kept is what would come out the same again; a line torn by a power cut,
// altered, or whose result does not fit its task is not believed (its task simply runs again).
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskResult, TrainTask } from '../src/execution/protocol.js';
import { loadIris } from '../src/data/iris.js';
import { Journal, parseJournal, taskKey } from '../src/train/journal.js';
import { toDataRef } from '../src/train/plan.js';
import { tempDir } from './support/helpers.js';

const data = toDataRef(loadIris());
const rows = (n: number, keep: (i: number) => boolean) => Array.from({ length: n }, (_, i) => i).filter(keep);
const base: TrainTask = {
  kind: 'train',
  modelId: 'knn',
  params: { k: 5 },
  preprocess: 'standardize',
  seed: 42,
  data,
  train: rows(150, (i) => i % 5 !== 0),
  test: rows(150, (i) => i % 5 === 0),
  modules: [],
  keepModel: false,
};
const library = { name: 'trainpool', version: '0.1.0' };
type Ok = Extract<TaskResult, { status: 'ok' }>;
const ok = (task: TrainTask): Ok => ({
  status: 'ok',
  predictions: task.test.map((i) => i % 3),
  fitMs: 1.5,
  predictMs: 0.5,
});

describe('the run journal', () => {
  it('keys a task by its data, model, library, params, preprocessing, seed, rows and kept model', () => {
    const key = taskKey(base, library);
    expect(taskKey({ ...base, train: [...base.train], modules: ['/elsewhere.mjs'] }, library)).toBe(key);
    const variants: [string, TrainTask, typeof library][] = [
      ['data', { ...base, data: { ...data, sha256: 'f'.repeat(64) } }, library],
      ['model', { ...base, modelId: 'svm' }, library],
      ['library', base, { ...library, version: '0.2.0' }],
      ['params', { ...base, params: { k: 7 } }, library],
      ['preprocess', { ...base, preprocess: 'minmax' }, library],
      ['seed', { ...base, seed: 7 }, library],
      ['train rows', { ...base, train: base.train.slice(1) }, library],
      ['test rows', { ...base, test: base.test.slice(1) }, library],
      ['kept model', { ...base, keepModel: true }, library],
    ];
    for (const [what, task, lib] of variants) expect(taskKey(task, lib), what).not.toBe(key);
  });

  it('keeps what would come out the same, skips torn, altered and ill-fitting lines', async () => {
    const file = join(tempDir(), 'journal.ndjson');
    const journal = await Journal.open(file, 0, () => {});
    const tasks = [0, 1, 2, 3].map((seed) => ({ ...base, seed, key: taskKey({ ...base, seed }, library) }));
    journal.started(tasks[0]!.key);
    journal.record(tasks[0]!.key, ok(tasks[0]!));
    journal.record(tasks[0]!.key, { ...ok(tasks[0]!), fitMs: 99 });
    journal.record(tasks[1]!.key, { status: 'failed', error: { kind: 'threw', name: 'Error', message: 'bad data' } });
    journal.record(tasks[2]!.key, {
      status: 'failed',
      error: { kind: 'timeout', name: 'TimeoutError', message: 'slow' },
    });
    journal.record(tasks[3]!.key, { status: 'not-run', reason: { kind: 'aborted', message: 'Ctrl-C' } });
    await journal.close();
    const lines = parseJournal(readFileSync(file, 'utf8'));
    expect(lines.map((l) => l.t)).toEqual(['session', 'start', 'result', 'result']);

    // A torn last line (a power cut mid-write), an altered one, and a result that does not fit its task.
    const text = readFileSync(file, 'utf8').split('\n');
    const altered = text[2]!.replace('"fitMs":1.5', '"fitMs":2.5');
    writeFileSync(file, [text[0], text[1], altered, text[3], ''].join('\n'));
    appendFileSync(file, '{"t":"result","k":"' + tasks[2]!.key + '","r":{"status":"ok","predi');
    const reread = await Journal.open(file, 1, () => {});
    expect(reread.size).toBe(1);
    expect(reread.lookup(tasks[0]!)).toBeUndefined();
    expect(reread.lookup(tasks[1]!)).toMatchObject({ status: 'failed', error: { kind: 'threw' } });
    expect(reread.lookup(tasks[2]!)).toBeUndefined();
    reread.record(tasks[0]!.key, { ...ok(tasks[0]!), predictions: [1, 2] });
    await reread.close();
    const third = await Journal.open(file, 2, () => {});
    expect(third.lookup(tasks[0]!)).toBeUndefined();
    await third.close();
  });
});

// A task withdrawn because another of its candidate failed is told apart by its kind, never by an
// error's name: a model's own error that happens to be called "Withdrawn" is reported as the
// failure it is, in the fold where it happened, even when its final fit worked.
import { describe, expect, it } from 'vitest';
import { fixture, train } from './support/helpers.js';

describe('withdrawn tasks', () => {
  it("a model's own error named Withdrawn is its failure, not a withdrawal", async () => {
    const run = await train([
      '--model-module',
      fixture('models/faulty.mjs'),
      '--models',
      'fault-named-withdrawn,svm',
      '--cv',
      '3',
      // The final fit (the costliest task) runs and succeeds before any fold fails.
      '--threads',
      '1',
    ]);
    expect(run.code).toBe(1);
    const [model, svm] = run.report!.models;
    expect(svm).toMatchObject({ id: 'svm', status: 'ok' });
    expect(model).toMatchObject({
      id: 'fault-named-withdrawn',
      status: 'failed',
      error: {
        kind: 'threw',
        name: 'Withdrawn',
        message: 'deliberate fault: my own error class is called Withdrawn',
        task: expect.stringMatching(/^cv fold \d$/),
      },
    });
  });
});

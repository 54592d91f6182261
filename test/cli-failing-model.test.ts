import { builtinModels } from '../src/models/index.js';
import { describe, expect, it } from 'vitest';
import { fixture, train } from './support/helpers.js';

describe('a model that throws, loaded with --model-module, on the real piscina pool', () => {
  it('becomes a failed row with its message; the other models still finish; exit status 1', async () => {
    const run = await train(['--model-module', fixture('models/throwing.mjs')]);
    expect(run.code).toBe(1);
    const report = run.report!;
    const failed = report.models.find((m) => m.id === 'always-throws');
    expect(failed).toMatchObject({
      status: 'failed',
      error: { kind: 'threw', name: 'RangeError', message: 'deliberately broken model', task: 'final fit' },
    });
    const ok = report.models.filter((m) => m.status === 'ok').map((m) => m.id);
    expect(ok).toEqual(builtinModels.filter((d) => d.default !== false).map((d) => d.id));
  });

  it('a TypeScript model module loads in the main thread and in the workers', async () => {
    const run = await train(['--model-module', fixture('models/majority.ts'), '--models', 'majority']);
    expect(run.code).toBe(0);
    const [model] = run.report!.models;
    expect(model).toMatchObject({ id: 'majority', status: 'ok' });
    expect(model?.status === 'ok' && model.metrics?.accuracy).toBeCloseTo(1 / 3, 5);
  });
});

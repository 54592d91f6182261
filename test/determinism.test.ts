import { describe, expect, it } from 'vitest';
import type { Report } from '../src/results/report.js';
import { train } from './support/helpers.js';

const outcome = (report: Report | undefined) =>
  report!.models.map((m) =>
    m.status === 'ok' ? { id: m.id, metrics: m.metrics, predictions: m.predictions, cv: m.cv?.accuracy } : m,
  );

describe('determinism', () => {
  it('the same seed gives identical metrics and predictions across runs and thread counts', async () => {
    const [a, b, c] = await Promise.all([
      train(['--threads', '1']),
      train(['--threads', '2']),
      train(['--threads', '2']),
    ]);
    expect(outcome(a.report)).toEqual(outcome(b.report));
    expect(outcome(b.report)).toEqual(outcome(c.report));
    expect(a.report!.split).toEqual(b.report!.split);
  });

  it('another seed gives another split', async () => {
    const [a, b] = await Promise.all([
      train(['--seed', '1', '--models', 'svm']),
      train(['--seed', '2', '--models', 'svm']),
    ]);
    expect(a.report!.split.test).not.toEqual(b.report!.split.test);
  });
});

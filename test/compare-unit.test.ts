import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareReports, regressionsBeyond } from '../src/results/compare.js';
import { parseReport } from '../src/results/schema.js';
import type { Report } from '../src/results/report.js';
import { runCli, tempDir } from './support/helpers.js';

describe('compareReports on edge cases', () => {
  it('a model that failed in B is a regression beyond any threshold; a model in one run only is noted, not a regression', async () => {
    const dir = tempDir();
    expect((await runCli('train', ['--results-dir', dir, '--quiet', '--models', 'svm,logistic-regression'])).code).toBe(
      0,
    );
    const a: Report = parseReport(readFileSync(join(dir, readdirSync(dir)[0]!, 'report.json'), 'utf8'));
    const b: Report = structuredClone(a);
    b.models = [
      {
        ...b.models.find((m) => m.id === 'svm')!,
        status: 'failed',
        error: { kind: 'threw', name: 'Error', message: 'boom', task: 'final fit' },
      } as Report['models'][number],
      { ...structuredClone(a.models[0]!), id: 'new-model' },
    ];
    const c = compareReports(a, b);
    expect(c.sameData && c.sameSplit).toBe(true);
    expect(c.problems).toEqual([]);
    const byId = Object.fromEntries(c.models.map((m) => [m.id, m]));
    expect(byId['svm']).toMatchObject({ regression: true, drop: Infinity, note: 'failed in B: boom' });
    expect(byId['logistic-regression']).toMatchObject({ regression: false, note: 'only in A' });
    expect(byId['new-model']).toMatchObject({ regression: false, note: 'only in B' });
    expect(regressionsBeyond(c, 100).map((m) => m.id)).toEqual(['svm']);
    expect(c.settings.map((s) => s.setting)).toContain('models');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/results/schema.js';
import type { Report } from '../src/results/report.js';
import { fixture, runCli, tempDir } from './support/helpers.js';

describe('several data sets in one run', () => {
  it('trains every model on each through one pool and writes a run folder per data set', async () => {
    const resultsDir = tempDir();
    const run = await runCli('train', [
      '--results-dir',
      resultsDir,
      '--dataset',
      fixture('csv/wine.csv'),
      '--dataset',
      'iris',
      '--models',
      'svm,logistic-regression',
      '--json',
    ]);
    expect(run.stderr).toMatch(/^(wine|iris): ✓ (svm|logistic-regression) /m);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Report[];
    expect(printed.map((r) => r.dataset.name)).toEqual(['wine', 'iris']);
    const folders = readdirSync(resultsDir).filter((n) => !n.startsWith('.'));
    expect(folders.sort()).toEqual(printed.map((r) => r.runId).sort());
    for (const report of printed) {
      const saved = parseReport(readFileSync(join(resultsDir, report.runId, 'report.json'), 'utf8'));
      expect(saved).toEqual(report);
      expect(saved.models.map((m) => [m.id, m.status])).toEqual([
        ['svm', 'ok'],
        ['logistic-regression', 'ok'],
      ]);
      expect(saved.threads).toBeGreaterThan(0);
    }
  });
});

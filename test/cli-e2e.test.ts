import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '../src/results/report.js';
import { describe, expect, it } from 'vitest';
import { loadIris } from '../src/data/iris.js';
import { builtinModels } from '../src/models/index.js';
import { runCli, tempDir, train } from './support/helpers.js';

describe('npm run train, end to end', () => {
  it('trains every model, prints a leaderboard and writes a valid report, model files and report.md', async () => {
    const resultsDir = tempDir();
    const run = await runCli('train', ['--results-dir', resultsDir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    // A line per model as it finishes, then the leaderboard.
    for (const { id } of builtinModels.filter((d) => d.default !== false))
      expect(run.stdout).toMatch(new RegExp(`✓ ${id}\\s+test accuracy`));
    expect(run.stdout).toMatch(
      /#\s+model\s+acc\s+AUC\s+recall\s+prec\.\s+F1\s+kappa\s+MCC\s+log loss\s+fit\s+predict\n/,
    );
    expect(run.stdout).not.toMatch(/\x1b\[/); // not a TTY: no colour codes
    const folder = /report: (.+)/.exec(run.stdout)?.[1];
    expect(folder && existsSync(join(folder, 'report.json'))).toBe(true);

    const { report } = await train([]);
    const iris = loadIris();
    expect(report).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      status: 'complete',
      dataset: {
        name: 'iris',
        rows: 150,
        features: 4,
        classes: ['setosa', 'versicolor', 'virginica'],
        sha256: iris.sha256,
      },
      split: { seed: 42, testSize: 0.2, stratified: true },
      nodeVersion: process.version,
    });
    expect(report!.split.test).toHaveLength(30);
    for (const model of report!.models) {
      expect(model.status).toBe('ok');
      if (model.status !== 'ok') continue;
      expect(model.metrics!.confusionMatrix.labels).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(model.predictions).toHaveLength(30);
      expect(model.timings.fitMs).toBeGreaterThan(0);
      expect(model.modelFile).toBe(`models/${model.id}.json`);
    }
    expect(readFileSync(join(folder!, 'report.md'), 'utf8')).toContain('## Leaderboard');
    expect(JSON.parse(readFileSync(join(folder!, 'models/svm.json'), 'utf8'))).toMatchObject({ modelId: 'svm' });
  });

  it('--json prints exactly report.json on stdout', async () => {
    const resultsDir = tempDir();
    const run = await runCli('train', ['--results-dir', resultsDir, '--json', '--models', 'svm']);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { runId: string };
    expect(readFileSync(join(resultsDir, printed.runId, 'report.json'), 'utf8')).toBe(run.stdout);
  });

  it('--help documents every option and exits 0', async () => {
    const run = await runCli('train', ['--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--models',
      '--model-module',
      '--seed',
      '--test-size',
      '--split-file',
      '--cv',
      '--folds-file',
      '--tune',
      '--threads',
      '--json',
      '--results-dir',
    ]) {
      expect(run.stdout).toContain(flag);
    }
  });

  it('never overwrites: two runs make two folders', async () => {
    const resultsDir = tempDir();
    await runCli('train', ['--results-dir', resultsDir, '--quiet', '--models', 'svm']);
    await runCli('train', ['--results-dir', resultsDir, '--quiet', '--models', 'svm']);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(resultsDir).filter((n) => !n.startsWith('.'))).toHaveLength(2);
  });
});

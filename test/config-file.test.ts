// trainpool.config.json / .mjs / .ts: found in the working folder (or --config), checked by zod
// with one-line errors naming the key, relative paths taken from the file's folder, overridden
// by flags typed on the command line, per-data-set CSV options.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/results/schema.js';
import { fixture, root, tempDir } from './support/helpers.js';

function trainIn(cwd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(root, 'scripts/run.mjs'), 'train', '--quiet', ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A user's project: a package.json, a data folder, a config file. */
function project(config: string, name = 'trainpool.config.json'): string {
  const dir = tempDir('trainpool-project-');
  writeFileSync(join(dir, 'package.json'), '{ "name": "my-project", "private": true }\n');
  mkdirSync(join(dir, 'data'));
  copyFileSync(fixture('csv/categorical.csv'), join(dir, 'data/categorical.csv'));
  copyFileSync(fixture('csv/wine.csv'), join(dir, 'data/wine.csv'));
  writeFileSync(join(dir, name), config);
  return dir;
}

const reports = (dir: string) =>
  readdirSync(dir)
    .filter((n) => !n.startsWith('.') && !n.endsWith('.md'))
    .map((n) => parseReport(readFileSync(join(dir, n, 'report.json'), 'utf8')))
    .sort((a, b) => (a.dataset.name < b.dataset.name ? -1 : 1));

describe('config file', () => {
  it('is found in the working folder; each CSV file has its own options; params apply; flags override it', async () => {
    const dir = project(
      JSON.stringify({
        dataset: [{ path: 'data/categorical.csv', label: 'colour' }, 'data/wine.csv'],
        models: ['knn', 'naive-bayes'],
        seed: 3,
        cv: 3,
        params: { knn: { nNeighbors: 3 } },
      }),
    );
    // From a subfolder: the config is the project's, its paths relative to its own folder.
    mkdirSync(join(dir, 'notebooks'));
    const run = await trainIn(join(dir, 'notebooks'), ['--seed', '5']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Results land in the project's results/.
    const [categorical, wine] = reports(join(dir, 'results'));
    expect(categorical!.dataset.encoding!.label).toBe('colour');
    expect(categorical!.dataset.classes).toEqual(['blue', 'green', 'red']);
    expect(wine!.dataset.encoding!.label).toBe('class');
    for (const r of [categorical!, wine!]) {
      expect(r.models.map((m) => m.id)).toEqual(['knn', 'naive-bayes']);
      expect(r.split.seed).toBe(5);
      expect(r.cv!.k).toBe(3);
      expect(r.models[0]!.params).toEqual({ nNeighbors: 3, weights: 'uniform' });
    }
    expect(categorical!.settings!.dataset).toEqual({
      path: join(dir, 'data/categorical.csv'),
      label: 'colour',
      missing: 'error',
    });
  });

  it("holds the leaderboard and download settings too; --param sets one param over the file's params", async () => {
    const dir = project(
      JSON.stringify({
        models: ['knn', 'svm'],
        params: { knn: { nNeighbors: 3 }, svm: { C: 2 } },
        sortBy: 'logLoss',
        columns: ['accuracy', 'logLoss'],
        budget: '10m',
        maxCategories: 50,
      }),
    );
    const run = await trainIn(dir, ['--param', 'knn.weights=distance']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [report] = reports(join(dir, 'results'));
    expect(report!.sortBy).toEqual({ scope: 'test', id: 'logLoss' });
    expect(report!.models.find((m) => m.id === 'knn')!.params).toEqual({ nNeighbors: 3, weights: 'distance' });
    expect(report!.models.find((m) => m.id === 'svm')!.params['C']).toBe(2);
    expect(report!.budget).toMatchObject({ seconds: 600, graceSeconds: 5 });
    expect(report!.settings).toMatchObject({
      params: { knn: { nNeighbors: 3, weights: 'distance' }, svm: { C: 2 } },
      maxCategories: 50,
      budget: 600,
      budgetGrace: 5,
    });
  });

  it.each([
    ['{ "seed": "x" }', 'trainpool.config.json: "seed" must be a whole number from 0 to 2147483647, not "x"'],
    [
      '{ "testSize": 1.5 }',
      'trainpool.config.json: "testSize" must be a number from 0 up to (not including) 1, not 1.5',
    ],
    [
      '{ "sed": 1 }',
      'trainpool.config.json: unknown key "sed"; known keys: dataset, label, delimiter, missing, models,',
    ],
    [
      '{ "dataset": ["iris", { "path": "a.csv", "lable": "x" }] }',
      'trainpool.config.json: unknown key "dataset[1].lable"; known keys: path, label, delimiter, missing',
    ],
    [
      '{ "dataset": [{ "path": "a.csv", "missing": "keep" }] }',
      '"dataset[0].missing" must be "error" or "drop", not "keep"',
    ],
    ['{ "models": "svm" }', '"models" must be a list of model ids, not "svm"'],
    [
      '{ "params": { "knn": { "k": 5 } } }',
      'trainpool.config.json: "params.knn.k": knn has no parameter "k"; its params: nNeighbors (integer > 0)',
    ],
    ['{ "params": { "knn": { "nNeighbors": 0 } } }', 'trainpool.config.json: "params.knn.nNeighbors": '],
    ['{ "params": { "nope": {} } }', '"params.nope": unknown model id "nope"; known ids: '],
    [
      '{ "models": ["knn"], "params": { "svm": { "C": 1 } } }',
      '"params.svm.C": svm is not trained in this run; add it to "models"',
    ],
    ['{ "seed": 1', 'trainpool.config.json: not valid JSON'],
    ['{ "sortBy": "speed" }', 'trainpool.config.json: "sortBy" must be one of accuracy (acc), balancedAccuracy'],
    ['{ "budget": "soon" }', 'trainpool.config.json: "budget" must be a duration above 0'],
    ['{ "budgetGrace": 3 }', 'trainpool.config.json: "budgetGrace" is the grace of "budget"'],
  ])('%s is refused in one line naming the key', async (config, message) => {
    const dir = project(config);
    const run = await trainIn(dir, []);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^train: error: /);
    expect(run.stderr).toContain(message);
    expect(readdirSync(dir)).not.toContain('results');
  });

  it('--config names a .mjs or .ts file anywhere', async () => {
    const dir = project('{ "seed": 1 }');
    writeFileSync(join(dir, 'quick.mjs'), 'export default { models: ["knn"], testSize: 0.3 };\n');
    const elsewhere = tempDir();
    writeFileSync(
      join(elsewhere, 'typed.ts'),
      'const settings: { models: string[]; seed: number } = { models: ["svm"], seed: 9 };\nexport default settings;\n',
    );
    for (const [file, model, seed] of [
      [join(dir, 'quick.mjs'), 'knn', 42],
      [join(elsewhere, 'typed.ts'), 'svm', 9],
    ] as const) {
      const resultsDir = tempDir();
      const run = await trainIn(dir, ['--config', file, '--results-dir', resultsDir]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const [report] = reports(resultsDir);
      expect(report!.models.map((m) => m.id)).toEqual([model]);
      expect(report!.split.seed).toBe(seed);
    }
  });
});

import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../src/results/schema.js';
import type { Report } from '../src/results/report.js';
import { fixture, runCli, tempDir } from './support/helpers.js';

const INTERRUPTED = '20261201-225126-iris-306d39';

describe('npm run history', () => {
  const dir = tempDir();
  let reports: Report[];
  beforeAll(async () => {
    for (const seed of ['1', '2', '3'])
      expect((await runCli('train', ['--results-dir', dir, '--quiet', '--seed', seed])).code).toBe(0);
    reports = readdirSync(dir)
      .map((id) => parseReport(readFileSync(join(dir, id, 'report.json'), 'utf8')))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  });

  it('over 3 runs: a row per run with every model, oldest first, and a chart with 3 points per model', async () => {
    const run = await runCli('history', ['--results-dir', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^iris: 3 runs, test accuracy per model, oldest first$/m);
    const models = reports[0]!.models.map((m) => m.id);
    expect(run.stdout).toMatch(
      new RegExp(`^started \\(UTC\\)\\s+run\\s+seed\\s+data\\s+cv\\s+${models.join('\\s+')}$`, 'm'),
    );
    const rows = run.stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s/.test(line));
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      const report = reports[i]!;
      expect(row).toContain(report.runId);
      const cells = row.trim().split(/\s+/);
      expect(cells[3]).toBe(String(report.split.seed));
      // One accuracy per model, in the header's order.
      expect(cells.slice(-models.length)).toEqual(
        models.map((id) => {
          const m = report.models.find((x) => x.id === id)!;
          return m.status === 'ok' ? m.metrics!.accuracy.toFixed(3) : 'failed';
        }),
      );
    });

    const page = join(dir, 'history-iris.html');
    expect(run.stdout).toContain(`page: ${page}`);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('data-chart="history"');
    const points = /class="mark-symbol role-mark runs_marks"[^>]*>(.*?)<\/g>/s.exec(html)?.[1] ?? '';
    expect(points.match(/<path /g)).toHaveLength(3 * models.length);
    // A line per model, and the models named in the legend.
    expect(html.match(/class="mark-line role-mark lines_marks"/g)).toHaveLength(models.length);
    for (const id of models) expect(html).toContain(`>${id}</text>`);
  });

  it('--last and --metric cv; an unknown data set is a one-line error', async () => {
    const last = await runCli('history', ['--results-dir', dir, '--last', '2', '--no-html']);
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/^iris: 2 runs/m);
    expect(last.stdout).not.toContain(reports[0]!.runId);
    expect(readdirSync(dir).filter((n) => n.endsWith('.html'))).toEqual(['history-iris.html']);

    const cv = await runCli('history', ['--results-dir', dir, '--metric', 'cv', '--no-html']);
    expect(cv.code).toBe(0);
    // These runs have no CV: every cell is "-".
    expect(cv.stdout).toMatch(/^iris: 3 runs, CV mean accuracy per model/m);

    const unknown = await runCli('history', ['--results-dir', dir, '--dataset', 'wine']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^history: error: no runs on data set "wine" in .*; it holds iris\n$/);
  });

  it('says which runs used CV or tuning, and which were interrupted (their unfinished models: not run)', async () => {
    const mixed = tempDir();
    cpSync(join(fixture('reports/v1'), INTERRUPTED), join(mixed, INTERRUPTED), { recursive: true });
    expect((await runCli('train', ['--results-dir', mixed, '--quiet', '--models', 'knn', '--cv', '3'])).code).toBe(0);
    expect(
      (await runCli('train', ['--results-dir', mixed, '--quiet', '--models', 'knn', '--cv', '3', '--tune'])).code,
    ).toBe(0);
    const run = await runCli('history', ['--results-dir', mixed]);
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s/.test(line));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(new RegExp(`${INTERRUPTED}\\s+\\d+\\s+\\w+\\s+3-fold, interrupted\\s+.*not run`));
    expect(rows[0]).not.toMatch(/failed/);
    expect(rows[1]).toMatch(/\s3-fold\s/);
    expect(rows[2]).toMatch(/\s3-fold, tuned\s/);
    const html = readFileSync(join(mixed, 'history-iris.html'), 'utf8');
    expect(html).toContain('3-fold CV, tuned');
    expect(html).toContain('<span class="badge warn">interrupted</span>');
  });

  it('an empty or missing results folder is a one-line error', async () => {
    const empty = await runCli('history', ['--results-dir', tempDir()]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^history: error: no readable runs in .*; run `npm run train` first\n$/);
    const missing = await runCli('history', ['--results-dir', join(tempDir(), 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^history: error: no results folder at .*nope/);
  });

  it('--help documents every option', async () => {
    const run = await runCli('history', ['--help']);
    expect(run.code).toBe(0);
    for (const text of ['--dataset', '--metric', '--last', '--html', '--no-html', '--results-dir', 'Exit status'])
      expect(run.stdout).toContain(text);
  });
});

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../src/results/schema.js';
import type { Report } from '../src/results/report.js';
import { runCli, tempDir } from './support/helpers.js';

const readRun = (dir: string, id: string) => parseReport(readFileSync(join(dir, id, 'report.json'), 'utf8'));
const points = (a: number, b: number) => {
  const d = (b - a) * 100;
  return `${d > 0 ? '+' : d < 0 ? '-' : ''}${Math.abs(d).toFixed(1)}`;
};

/** Writes a report as a run folder, after checking it against the schema like every reader does. */
function writeRun(dir: string, report: Report): void {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  parseReport(text);
  mkdirSync(join(dir, report.runId), { recursive: true });
  writeFileSync(join(dir, report.runId, 'report.json'), text);
}

const later = (report: Report, runId: string, seconds = 60): Report => ({
  ...structuredClone(report),
  runId,
  createdAt: new Date(Date.parse(report.createdAt) + seconds * 1000).toISOString(),
});

describe('npm run compare', () => {
  // Two real iris runs, seeds 42 and 7, in one results folder.
  const dir = tempDir();
  let a: Report;
  let b: Report;
  beforeAll(async () => {
    expect((await runCli('train', ['--results-dir', dir, '--quiet', '--seed', '42'])).code).toBe(0);
    expect((await runCli('train', ['--results-dir', dir, '--quiet', '--seed', '7'])).code).toBe(0);
    const ids = readdirSync(dir).sort();
    [a, b] = ids.map((id) => readRun(dir, id)).sort((x, y) => (x.createdAt < y.createdAt ? -1 : 1)) as [Report, Report];
  });

  it('two iris runs with different seeds: per-model deltas, the split called out, the settings that differ, a page', async () => {
    const run = await runCli('compare', ['--results-dir', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`A  ${a.runId}`);
    expect(run.stdout).toContain(`B  ${b.runId}`);
    for (const ma of a.models) {
      const mb = b.models.find((m) => m.id === ma.id)!;
      if (ma.status !== 'ok' || mb.status !== 'ok') throw new Error('a model failed');
      const [x, y] = [ma.metrics!.accuracy, mb.metrics!.accuracy];
      // "svm   0.967 → 1.000  +3.3 ▲"
      expect(run.stdout).toMatch(
        new RegExp(`^${ma.id}\\s+${x.toFixed(3)} → ${y.toFixed(3)}  ${points(x, y).replace('+', '\\+')}`, 'm'),
      );
    }
    expect(run.stdout).toMatch(/^NOT LIKE FOR LIKE: different split: the test rows differ/m);
    expect(run.stdout).toMatch(/^ {2}seed\s+42 → 7$/m);
    const page = join(dir, `compare-${a.runId}-vs-${b.runId}.html`);
    expect(run.stdout).toContain(`page: ${page}`);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('Not like for like: different split');
    // A point per model per run in the chart.
    const marks = /class="mark-symbol role-mark accuracies_marks"[^>]*>(.*?)<\/g>/s.exec(html)?.[1] ?? '';
    expect(marks.match(/<path /g)).toHaveLength(2 * a.models.length);
  });

  it('refuses runs on different data sets with a clear message; --side-by-side shows them without deltas', async () => {
    const other = tempDir();
    writeRun(other, a);
    // The same run, as if the iris file had been edited since: another content hash and shape.
    const foreign = later(a, '20991231-000000-iris-abcdef');
    foreign.dataset = { ...foreign.dataset, rows: 178, sha256: 'f'.repeat(64) };
    writeRun(other, foreign);

    const refused = await runCli('compare', ['--results-dir', other]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /^compare: error: not like for like: different data: A is iris \(sha256 [0-9a-f]{12}…, 150 rows\), B is iris \(sha256 ffffffffffff…, 178 rows\); compare two runs on the same data set/,
    );
    expect(readdirSync(other).filter((n) => n.endsWith('.html'))).toEqual([]);

    const shown = await runCli('compare', ['--results-dir', other, '--side-by-side']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^NOT LIKE FOR LIKE: different data: A is iris/m);
    expect(shown.stdout).not.toContain('Δ');
    expect(shown.stdout).not.toMatch(/\bregression \(|got worse|no model/);

    const gate = await runCli('compare', ['--results-dir', other, '--side-by-side', '--fail-on-regression', '1']);
    expect(gate.code).toBe(2);
    expect(gate.stderr).toMatch(/^compare: error: --fail-on-regression needs two runs on the same data and split/);

    // Named explicitly, runs of two differently named data sets are refused the same way.
    const wine = later(a, '20991231-000000-wine-abcdef');
    wine.dataset = { ...wine.dataset, name: 'wine', rows: 178, sha256: 'e'.repeat(64) };
    writeRun(other, wine);
    const named = await runCli('compare', ['--results-dir', other, a.runId, wine.runId]);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(
      /^compare: error: not like for like: different data: A is iris .*, B is wine \(sha256 eeeeeeeeeeee…, 178 rows\)/,
    );
  });

  it('--fail-on-regression exits 1 when a model lost more than the threshold, 0 when not', async () => {
    const gated = tempDir();
    writeRun(gated, a);
    // Same data, same split: svm lost two of its 30 test rows.
    const worse = later(a, '20991231-000000-iris-worse1');
    const svm = worse.models.find((m) => m.id === 'svm');
    if (svm?.status !== 'ok' || !svm.metrics) throw new Error('svm did not train');
    const before = svm.metrics.accuracy;
    svm.metrics.accuracy = before - 2 / 30;
    writeRun(gated, worse);

    const failing = await runCli('compare', ['--results-dir', gated, '--fail-on-regression', '5']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).not.toContain('NOT LIKE FOR LIKE');
    expect(failing.stdout).toMatch(
      new RegExp(`^svm\\s+${before.toFixed(3)} → ${(before - 2 / 30).toFixed(3)}  -6\\.7 ▼.*regression`, 'm'),
    );
    expect(failing.stdout).toContain('1 model got worse: svm -6.7 pts');
    expect(failing.stdout).toContain('--fail-on-regression 5: failing (svm)');

    const passing = await runCli('compare', ['--results-dir', gated, '--fail-on-regression', '7']);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain('--fail-on-regression 7: passing');

    // Runs named explicitly, in either order; B better than A is no regression.
    const reversed = await runCli('compare', [
      '--results-dir',
      gated,
      '--fail-on-regression',
      '0',
      worse.runId,
      a.runId,
    ]);
    expect(reversed.code).toBe(0);
    expect(reversed.stdout).toContain('no model got worse');

    // A different split cannot gate.
    const split = await runCli('compare', ['--results-dir', dir, '--fail-on-regression', '5']);
    expect(split.code).toBe(2);
    expect(split.stderr).toContain('different split');
  });

  it('names an unknown run precisely and lists the latest ones', async () => {
    const run = await runCli('compare', ['--results-dir', dir, 'no-such-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^compare: error: no run "no-such-run" in .*; give a run id or its start, latest, a run folder or a report\.json\n$/,
    );
    expect(run.stderr).toContain(b.runId);
    expect(existsSync(join(dir, 'no-such-run'))).toBe(false);
  });

  it('accepts a run folder path and a report.json path', async () => {
    const other = tempDir();
    cpSync(join(dir, a.runId), join(other, 'copy-of-a'), { recursive: true });
    const run = await runCli('compare', ['--no-html', join(other, 'copy-of-a'), join(dir, b.runId, 'report.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`A  ${a.runId}`);
    expect(run.stdout).toContain(`B  ${b.runId}`);
  });

  it('--help documents the arguments and every option', async () => {
    const run = await runCli('compare', ['--help']);
    expect(run.code).toBe(0);
    for (const text of [
      '[runA]',
      '[runB]',
      '--fail-on-regression',
      '--side-by-side',
      '--html',
      '--no-html',
      '--results-dir',
      'Exit status',
    ])
      expect(run.stdout).toContain(text);
  });
});

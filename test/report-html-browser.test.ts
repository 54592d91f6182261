import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train } from './support/helpers.js';

// Debian's chromium (installed by .ci/run); playwright's own browser download fails here.
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('report.html in a real browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens from disk with no console errors and no network, one non-empty chart per model, and a screenshot', async () => {
    // Three-fold CV, so the accuracy chart has its spread.
    const run = await train(['--cv', '3']);
    expect(run.code).toBe(0);
    const report = run.report!;
    const folder = join(run.resultsDir, run.runs[0]!);
    const html = join(folder, 'report.html');
    expect(statSync(html).size).toBeGreaterThan(10_000);

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) requests.push(r.url());
    });
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });

    await expect(page.title()).resolves.toContain(report.runId);
    // The leaderboard names every model.
    const leaderboard = await page.locator('table.wide').first().innerText();
    for (const m of report.models) expect(leaderboard).toContain(m.id);

    // One confusion-matrix chart per model, drawn, labelled with the class names.
    for (const m of report.models) {
      const chart = page.locator(`figure.confusion[data-model="${m.id}"] svg`);
      await expect(chart.count()).resolves.toBe(1);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(100);
      // A cell per pair of classes, and the class names on the axes.
      await expect(chart.locator('.cells_marks path').count()).resolves.toBe(9);
      const text = await chart.locator('text').allTextContents();
      for (const name of report.dataset.classes) expect(text).toContain(name);
    }

    // The overview: accuracy with the CV spread (a rule per model, a tick per fold) and fit times.
    const overview = page.locator('figure[data-chart="overview"] svg');
    await expect(overview.count()).resolves.toBe(1);
    const models = report.models.length;
    await expect(overview.locator('.spreads_marks line').count()).resolves.toBe(models);
    await expect(overview.locator('.folds_marks path').count()).resolves.toBe(models * 3);
    // A diamond for test accuracy and a dot for the CV mean, per model.
    await expect(overview.locator('.scores_marks path').count()).resolves.toBe(models * 2);
    await expect(overview.locator('.fit_marks path').count()).resolves.toBe(models);

    // Nothing is cut off: every label lies inside its chart.
    const outside = await page.$$eval('figure.chart svg', (svgs) =>
      svgs.flatMap((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')]
          .filter((t) => (t.textContent ?? '').trim() !== '')
          .filter((t) => {
            const r = t.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
          })
          .map((t) => t.textContent);
      }),
    );
    expect(outside).toEqual([]);

    // The settings a reader needs to trust the numbers.
    const settings = await page.locator('dl.settings').last().innerText();
    for (const expected of [report.dataset.sha256, 'seed', '42', '3 folds', 'threads', 'Node.js', 'piscina'])
      expect(settings).toContain(expected);

    const screenshot = join(folder, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
    await page.close();

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    // The run's journal and settings stay beside its report (what a resume, or a reader, needs).
    expect(readdirSync(folder).sort()).toEqual([
      'journal.ndjson',
      'models',
      'report.html',
      'report.json',
      'report.md',
      'report.png',
      'run.json',
    ]);
  });
});

// The pages hold their layout, seen in headless Chromium at 1280 and 800 px wide: no page scrolls
// sideways (a wide table scrolls in its own box), history rows stay at most three lines tall,
// a confusion-matrix cell with a mistake or two looks nothing like a 0, and equal scores do not
// hide each other on the accuracy and history charts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../src/models/index.js';
import { runCli, tempDir } from './support/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
const WIDTHS = [1280, 800];

const dir = tempDir();
let browser: Browser;
let runs: string[];
const pages = () => ({
  report: join(dir, runs.at(-1)!, 'report.html'),
  history: join(dir, 'history-iris.html'),
  compare: join(dir, 'compare.html'),
});

async function open(file: string, width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return page;
}

const rgb = (color: string) => {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)?.[1];
  if (hex) return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const m = /rgb\((\d+), ?(\d+), ?(\d+)\)/.exec(color);
  if (!m) throw new Error(`not a colour: ${color}`);
  return [m[1], m[2], m[3]].map(Number);
};
const distance = (a: string, b: string) => Math.hypot(...rgb(a).map((v, i) => v - rgb(b)[i]!));

describe('pages in a real browser, at 1280 and 800 px', () => {
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const train = (...args: string[]) => runCli('train', ['--results-dir', dir, '--quiet', ...args]);
    expect((await train('--seed', '1', '--cv', '3')).code).toBe(0);
    // The same split with other params: long JSON in compare's "settings that differ".
    expect(
      (await train('--seed', '1', '--cv', '3', '--param', 'svm.C=10', '--param', 'logistic-regression.C=0.5')).code,
    ).toBe(0);
    expect((await train('--models', 'knn,svm,dummy', '--cv', '3', '--tune')).code).toBe(0);
    runs = readdirSync(dir)
      .filter((n) => /^\d{8}-/.test(n))
      .sort();
    expect((await runCli('history', ['--results-dir', dir])).code).toBe(0);
    expect((await runCli('compare', ['--results-dir', dir, runs[0]!, runs[1]!, '--html', pages().compare])).code).toBe(
      0,
    );
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each(WIDTHS)('no page is wider than the window at %i px', async (width) => {
    for (const [name, file] of Object.entries(pages())) {
      const page = await open(file, width);
      const { scroll, client } = await page.$eval('html', (html) => ({
        scroll: html.scrollWidth,
        client: html.clientWidth,
      }));
      expect(scroll, `${name} at ${width} px`).toBeLessThanOrEqual(client);
      await page.close();
    }
  });

  it.each(WIDTHS)('history rows are at most three lines tall at %i px', async (width) => {
    const page = await open(pages().history, width);
    const rows = await page.$$eval('table tbody tr', (trs) =>
      trs.map((tr) => {
        const td = tr.querySelector('td')!;
        const style = td.ownerDocument.defaultView!.getComputedStyle(td);
        const inner =
          tr.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
        return { lines: inner / parseFloat(style.lineHeight) };
      }),
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.lines).toBeLessThanOrEqual(3.05);
    await page.close();
  });

  it('a confusion-matrix cell with one or two mistakes is coloured unlike a 0, and unlike a right answer', async () => {
    const page = await open(pages().report, 1280);
    const cells = await page.$$eval('figure.confusion svg', (svgs) =>
      svgs.flatMap((svg) => {
        const rects = [...svg.querySelectorAll('.cells_marks path')].map((p) => p.getAttribute('fill')!);
        const counts = [...svg.querySelectorAll('.counts_marks text')].map((t) => Number(t.textContent));
        const k = Math.round(Math.sqrt(rects.length));
        return rects.map((fill, i) => ({ fill, count: counts[i]!, diagonal: Math.floor(i / k) === i % k }));
      }),
    );
    const zeros = cells.filter((c) => c.count === 0);
    const fewMistakes = cells.filter((c) => !c.diagonal && (c.count === 1 || c.count === 2));
    expect(zeros.length).toBeGreaterThan(0);
    expect(fewMistakes.length).toBeGreaterThan(0);
    for (const zero of zeros)
      for (const mistake of fewMistakes) expect(distance(zero.fill, mistake.fill)).toBeGreaterThan(60);
    const right = cells.find((c) => c.diagonal && c.count > 0)!;
    expect(distance(right.fill, fewMistakes[0]!.fill)).toBeGreaterThan(60);
    await page.close();
  });

  it('equal scores stay apart: test and CV marks of a model, and models of one run in history', async () => {
    const report = await open(pages().report, 1280);
    // A diamond (test) and a dot (CV mean) per model: never at the same spot.
    const marks = await report.$$eval('figure[data-chart="overview"] .scores_marks path', (paths) =>
      paths.map((p) => p.getAttribute('transform')),
    );
    expect(marks.length).toBeGreaterThan(0);
    expect(new Set(marks).size).toBe(marks.length);
    await report.close();
    const history = await open(pages().history, 1280);
    const points = await history.$$eval('figure[data-chart="history"] .runs_marks path', (paths) =>
      paths.map((p) => p.getAttribute('transform')),
    );
    expect(points.length).toBeGreaterThan(10);
    expect(new Set(points).size).toBe(points.length);
    // Still one line per model across the runs.
    const models = builtinModels.filter((d) => d.default !== false).length;
    await expect(history.locator('figure[data-chart="history"] .lines_marks').count()).resolves.toBe(models);
    await history.close();
  });
});

// report.html is as wide with a 5,000-character class name as with short names: the name is
// shortened in the layout (the page keeps it whole in a tooltip), not laid out at 44,000 pixels.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDir, train } from './support/helpers.js';
import { LONG_NAME, PLAIN, writeHostileCsv } from './support/hostile-names.js';

const CHROMIUM = '/usr/bin/chromium';
const WINDOW = 1200;

/** The page's width in a WINDOW-wide window, and the tooltips it holds. */
async function measure(browser: Browser, csv: string) {
  const run = await train(['--dataset', csv, '--models', 'knn,naive-bayes', '--cv', '2']);
  expect(run.code, run.stderr).toBe(0);
  const page = await browser.newPage({ viewport: { width: WINDOW, height: 900 } });
  await page.goto(pathToFileURL(join(run.resultsDir, run.runs[0]!, 'report.html')).href, { waitUntil: 'load' });
  // Run in the page (a string: this file is typed without the DOM's types).
  return page.evaluate<{ width: number; titles: string[] }>(`({
    width: Math.max(document.documentElement.scrollWidth,
      ...[...document.querySelectorAll('body *')].map((e) => e.getBoundingClientRect().right)),
    titles: [...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title')),
  })`);
}

describe('report.html with a 5,000-character class name', () => {
  it('is no wider than the same page with short names', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const plain = await measure(browser, writeHostileCsv(tempDir(), PLAIN));
      const hostile = await measure(browser, writeHostileCsv(tempDir()));
      expect(hostile.width).toBeLessThanOrEqual(Math.max(WINDOW, plain.width));
      // The whole name is still there, for whoever hovers over it.
      expect(hostile.titles).toContain(LONG_NAME);
    } finally {
      await browser.close();
    }
  });
});

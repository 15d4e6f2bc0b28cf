import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../../local/report';
import { PROMOTED_RUN } from './sample';

/** Debian's chromium; CI installs it (`apt-get install chromium`). */
const CHROMIUM = '/usr/bin/chromium';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('Function: writeReport (in a browser)', () => {
  let dir: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pitstop-report-browser-'));
  });

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('renders every chart with its bars, loads nothing from outside, and screenshots as a PNG', async () => {
    // Prepare
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium); CI installs it`);
    }
    const path = await writeReport(join(dir, 'run', 'report.html'), PROMOTED_RUN);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url.startsWith('file://')) await route.continue();
      else await route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    // Act
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });

    // Assess: each chart is there, visible, has a size and the expected bars.
    const expectedBars = {
      timeline: PROMOTED_RUN.timeline.length,
      drift: 8,
      metrics: Object.keys(PROMOTED_RUN.evaluation!.candidate).length * 2,
      canary: 4 * 2 * 2,
    };
    for (const [kind, count] of Object.entries(expectedBars)) {
      const svg = page.locator(`svg[data-chart="${kind}"]`);
      expect(await svg.count(), kind).toBe(1);
      expect(await svg.isVisible(), kind).toBe(true);
      const box = await svg.boundingBox();
      expect(box?.width ?? 0, kind).toBeGreaterThan(100);
      expect(box?.height ?? 0, kind).toBeGreaterThan(50);
      const bars = svg.locator('[data-bar]');
      expect(await bars.count(), kind).toBe(count);
      // The chart fits the page: no horizontal overflow past the viewport.
      expect(box!.x + box!.width, kind).toBeLessThanOrEqual(1100);
    }
    // Drift bars are laid out inside their chart, longest for the largest score.
    const drift = page.locator('svg[data-chart="drift"] [data-bar]');
    const widths = await Promise.all([0, 2].map(async (i) => (await drift.nth(i).boundingBox())!.width));
    expect(widths[0]!).toBeGreaterThan(widths[1]!);
    expect(await page.locator('svg[data-chart="drift"] [data-drifted="true"]').count()).toBe(3);
    expect(await page.title()).toContain('drift-retrain');

    // Nothing left the page but the file itself.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(problems).toEqual([]);

    // A full-page screenshot is a non-empty PNG.
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    expect((await readFile(shot)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // Set PITSTOP_REPORT_SCREENSHOT=/some/file.png to keep a copy of the page to look at.
    if (process.env.PITSTOP_REPORT_SCREENSHOT) await page.screenshot({ path: process.env.PITSTOP_REPORT_SCREENSHOT, fullPage: true });
  });
});

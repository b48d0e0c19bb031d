// The HTML report in a real browser: Debian's chromium (scripts/setup-browser-integration.sh),
// driven headless by playwright-core. Renders the report file, takes a screenshot, and
// asserts on the rendered DOM; no request may leave the page.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { renderHtmlReport } from '../../src/reporters/html.js';
import { HOSTILE_NAME, smallEstate, trendFor } from '../helpers/estate.js';
import { REQUIRE } from './engine.js';

const CHROMIUM = process.env['PALISADE_TEST_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCANS = 6;

// Skipped only without Chromium and without PALISADE_REQUIRE_INTEGRATION (a
// laptop); in CI a missing browser throws below instead.
const available = existsSync(CHROMIUM);
if (!available && REQUIRE) {
  throw new Error(`PALISADE_REQUIRE_INTEGRATION=1 but ${CHROMIUM} is missing; run scripts/setup-browser-integration.sh`);
}

describe.skipIf(!available)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const blocked: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-html-'));
  const file = path.join(dir, 'report.html');
  const url = pathToFileURL(file).href;
  const screenshot = path.join(dir, 'report.png');

  beforeAll(async () => {
    const scan = smallEstate();
    writeFileSync(file, renderHtmlReport(scan, { trend: trendFor(scan, SCANS), since: new Date('2026-11-20T00:00:00Z') }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    context.on('request', (r) => requests.push(r.url()));
    // Anything not on disk is answered by nobody: recorded and aborted (file requests are in `requests`).
    await context.route(
      (u) => u.protocol !== 'file:',
      async (route) => {
        blocked.push(route.request().url());
        await route.abort();
      },
    );
    page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stderr.write(`html report screenshot: ${screenshot}\n`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads nothing but the file itself', () => {
    expect(requests).toEqual([url]);
    expect(blocked).toEqual([]);
  });

  it('would see a request if the page made one (control: the same page without its CSP, plus an image on 127.0.0.1)', async () => {
    const control = path.join(dir, 'control.html');
    const html = renderHtmlReport(smallEstate()).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    writeFileSync(control, html.replace('</body>', '<img src="http://127.0.0.1:9/leak.png"></body>'));
    const before = blocked.length;

    const other = await page.context().newPage();
    await other.goto(pathToFileURL(control).href, { waitUntil: 'load' });
    await other.close();

    expect(blocked.slice(before)).toEqual(['http://127.0.0.1:9/leak.png']);
    blocked.splice(before);
    requests.splice(1);
  });

  it('draws each workload\'s layers with as many holding cells as the workload holds', async () => {
    const rows = await page.$$eval('tr.workload', (trs) =>
      trs.map((tr) => {
        const svg = tr.querySelector('svg.layers');
        const box = svg?.getBoundingClientRect();
        return {
          name: tr.querySelector('.wname')?.textContent,
          holding: Number(tr.getAttribute('data-holding')),
          holdCells: svg?.querySelectorAll('g.cell.hold').length,
          cells: svg?.querySelectorAll('g.cell').length,
          labels: [...(svg?.querySelectorAll('g.cell text:not(.sym)') ?? [])].map((t) => t.textContent),
          visible: box !== undefined && box.width > 300 && box.height > 20,
        };
      }),
    );

    expect(rows.map((r) => [r.name, r.holding, r.holdCells, r.cells, r.visible])).toEqual([
      ['db', 1, 1, 9, true],
      [HOSTILE_NAME, 3, 3, 9, true],
      ['web', 5, 5, 9, true],
    ]);
    expect(rows[0]?.labels).toEqual(['ISO', 'PRIV', 'CONF', 'IMM', 'PROV', 'RES', 'SEG', 'ACC', 'PAT']);
  });

  it('plots one point per recorded scan in the trend chart', async () => {
    const points = await page.$$eval('svg.trend .pt[data-series]', (els) =>
      els.map((e) => ({ series: e.getAttribute('data-series'), visible: e.getBoundingClientRect().width > 0 })),
    );

    expect(points.filter((p) => p.series === 'score')).toHaveLength(SCANS);
    expect(points.filter((p) => p.series === 'depth')).toHaveLength(SCANS);
    expect(points.every((p) => p.visible)).toBe(true);
    expect(await page.textContent('#trend figcaption')).toContain(`${SCANS} recorded scans since 2026-11-20`);
  });

  it('groups findings by workload, each group open with its findings and fixes', async () => {
    const groups = await page.$$eval('details.group', (ds) =>
      ds.map((d) => ({
        open: (d as HTMLDetailsElement).open,
        title: d.querySelector('summary b')?.textContent,
        items: d.querySelectorAll('li.finding').length,
        count: Number(d.getAttribute('data-count')),
        fixes: d.querySelectorAll('p.fix').length,
      })),
    );

    expect(groups.map((g) => [g.title, g.items, g.count, g.open])).toEqual([
      [HOSTILE_NAME, 2, 2, true],
      ['web', 1, 1, true],
      ['db', 1, 1, true],
    ]);
    expect(groups.every((g) => g.fixes === g.items)).toBe(true);
  });

  it('renders the hostile name as text: no script, image or handler came from it', async () => {
    const dom = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      images: document.querySelectorAll('img').length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      title: document.querySelector('li.finding')?.childNodes[3]?.textContent?.trim(),
      targetError: document.querySelector('#target-errors li')?.textContent,
    }));

    expect(dom).toEqual({ scripts: 0, images: 0, handlers: 0, title: HOSTILE_NAME, targetError: `tcp://127.0.0.1:2376: refused <${HOSTILE_NAME}>` });
  });

  it('shows the estate summary and the waivers about to expire', async () => {
    expect(await page.textContent('[data-tile="workloads"] dd')).toBe('3 3 containers');
    expect(await page.textContent('[data-tile="gate"] dd')).toBe('\u2717 failed');
    expect(await page.$$eval('#expiring tr.waiver-row', (rows) => rows.map((r) => r.getAttribute('data-check')))).toEqual(['docker/check-7', 'docker/check-8']);
  });
});

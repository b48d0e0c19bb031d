import { describe, expect, it } from 'vitest';

import { reporters } from '../../src/reporters/index.js';
import { escapeHtml, htmlWithCode } from '../../src/reporters/html-escape.js';
import { estatePoints, HTML_CSP, renderHtmlReport } from '../../src/reporters/html.js';
import { HOSTILE_NAME, smallEstate, trendFor } from '../helpers/estate.js';
import { loadScan } from './fixture.js';

function count(haystack: string, needle: RegExp): number {
  return haystack.match(needle)?.length ?? 0;
}

describe('src/reporters/html', () => {
  it('is registered as the html format and carries a CSP that forbids every fetch', () => {
    const html = reporters.html(loadScan(), { color: false });

    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`);
    expect(HTML_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  });

  it('loads nothing: no script, stylesheet link, image, font, frame or src attribute', () => {
    const html = renderHtmlReport(smallEstate(), { trend: trendFor(smallEstate(), 4) });

    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|video|audio|source)\b/i);
    const attributeNames = [...html.matchAll(/<[a-z][^>]*>/gi)].flatMap((m) =>
      [...m[0].replace(/"[^"]*"/g, '""').matchAll(/\s([a-z-]+)=/gi)].map((a) => a[1]?.toLowerCase()),
    );
    expect(attributeNames.length).toBeGreaterThan(100);
    expect(attributeNames).not.toContain('src');
    expect(attributeNames).not.toContain('srcset');
    expect(attributeNames).not.toContain('poster');
    expect(attributeNames.filter((a) => a?.startsWith('on'))).toEqual([]);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import|@font-face/i);
  });

  it('redacts the scan it is given: palisade report renders scans read back from history or a file', () => {
    const scan = smallEstate();
    const token = `ghp_${'Q7w8E9r0T1'.repeat(3)}yUiOpA`;
    const w = scan.workloads[1];
    if (!w) throw new Error('fixture changed');
    w.name = `web-${token}`;
    w.error = `engine said postgres://app:hunter2@db/x`;

    const html = renderHtmlReport(scan);

    expect(html).not.toContain(token);
    expect(html).not.toContain('hunter2');
    expect(html).toContain('[redacted: github-token]');
  });

  it('escapes every target-provided string: names, messages, titles, errors, waiver reasons', () => {
    const html = renderHtmlReport(smallEstate());

    expect(html).not.toContain(HOSTILE_NAME);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('<b>image</b>');
    expect(html).not.toMatch(/" onmouseover="/);
    expect(html).toContain(escapeHtml(HOSTILE_NAME));
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it.each([
    ['<script>', '&lt;script&gt;'],
    ['"quoted"', '&quot;quoted&quot;'],
    ["it's", 'it&#39;s'],
    ['a & b', 'a &amp; b'],
    ['bell\u0007 and \u202eoverride', 'bell and override'],
  ])('escapeHtml(%j)', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('turns code spans of a remediation into <code> and escapes inside them', () => {
    expect(htmlWithCode('Run `--cap-drop <ALL>` & restart')).toBe('Run <code>--cap-drop &lt;ALL&gt;</code> &amp; restart');
  });

  it('draws one layer row per workload, nine cells each, with the holding count and text labels', () => {
    const scan = smallEstate();

    const html = renderHtmlReport(scan);

    expect(count(html, /<svg class="layers"/g)).toBe(3);
    expect(count(html, /<g class="cell /g)).toBe(27);
    expect(html).toMatch(/data-identity="docker:engine-1\/web" data-holding="5"/);
    expect(html).toContain('aria-label="5 of 6 applicable layers hold; resource-limits fails"');
    expect(html).toMatch(/<text class="sym"[^>]*>\u2713<\/text>/);
    expect(html).toMatch(/<text class="sym"[^>]*>\u2717<\/text>/);
  });

  it('says there is no history when it has no trend', () => {
    const html = renderHtmlReport(smallEstate());

    expect(html).toContain('class="no-history"');
    expect(html).not.toContain('<svg class="trend"');
  });

  it('plots one point per recorded scan for score and for depth', () => {
    const scan = smallEstate();

    const html = renderHtmlReport(scan, { trend: trendFor(scan, 5), since: new Date('2026-11-01T00:00:00Z') });

    expect(html).toContain('data-points="5"');
    expect(count(html, /data-series="score"/g)).toBe(5);
    expect(count(html, /data-series="depth"/g)).toBe(5);
    expect(html).toContain('5 recorded scans since 2026-11-01');
  });

  it('computes estate points per scan, oldest first', () => {
    const scan = smallEstate();

    const points = estatePoints(trendFor(scan, 3).reverse());

    expect(points.map((p) => p.scanId)).toEqual(['scan-1', 'scan-2', 'scan-3']);
    expect(points[2]?.minDepth).toBe(1);
    expect(points[2]?.meanScore).toBeCloseTo((50 + 51 + 52) / 3);
  });

  it('groups findings by workload, most severe failure first, with the fix once per check', () => {
    const html = renderHtmlReport(smallEstate());

    const groups = [...html.matchAll(/<details class="group" data-workload="([^"]*)" data-count="(\d+)"/g)].map((m) => [m[1], m[2]]);
    expect(groups).toEqual([
      [escapeHtml(`container:engine-1/${HOSTILE_NAME}`), '2'],
      ['container:engine-1/web', '1'],
      ['container:engine-1/db', '1'],
    ]);
    expect(count(html, /<p class="fix">/g)).toBe(4);
    expect(html).toContain('<b>Waived</b> by platform-team until 2026-12-01');
  });

  it('lists active waivers expiring within 14 days by default, or within --expiry-days', () => {
    const scan = smallEstate();

    const byDefault = renderHtmlReport(scan);
    const wide = renderHtmlReport(scan, { expiryDays: 60 });
    const none = renderHtmlReport(scan, { expiryDays: 1 });

    expect(count(byDefault, /<tr class="waiver-row"/g)).toBe(2);
    expect(byDefault).toContain('in 2 days');
    expect(byDefault).toContain('in 12 days');
    expect(count(wide, /<tr class="waiver-row"/g)).toBe(3);
    expect(none).toContain('No active waiver expires within 1 days.');
  });

  it('shows the estate summary: workloads, score, depth, gate and targets in error', () => {
    const html = renderHtmlReport(smallEstate());

    expect(html).toMatch(/data-tile="workloads"><dt>Workloads<\/dt><dd>3<small> 3 containers/);
    expect(html).toMatch(/data-tile="depth"><dt>[^<]*<\/dt><dd>1<small> lowest, 3\.0 mean/);
    expect(html).toContain('\u2717 failed');
    expect(html).toMatch(/<ul class="errors" id="target-errors"><li><code>tcp:\/\/127\.0\.0\.1:2376<\/code>: refused &lt;/);
  });
});

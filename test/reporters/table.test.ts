import { describe, expect, it } from 'vitest';

import { reporters } from '../../src/reporters/index.js';
import { cleanScan, loadScan, scanWithFailedTarget } from './fixture.js';

const ESC = '\u001b';
const ANSI = /\u001b\[[0-9;]*m/g;

function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

describe('src/reporters/table', () => {
  it('matches the golden table for the mixed scan', async () => {
    const scan = loadScan();

    const text = reporters.table(scan, { color: false, width: 100 });

    await expect(text).toMatchFileSnapshot('__snapshots__/mixed-scan.table.txt');
  });

  it('matches the golden table for the mixed scan with passed findings', async () => {
    const scan = loadScan();
    scan.options.includePassed = true;

    const text = reporters.table(scan, { color: false, width: 100 });

    await expect(text).toMatchFileSnapshot('__snapshots__/mixed-scan.include-passed.table.txt');
  });

  it.each([
    ['mixed', loadScan],
    ['clean', cleanScan],
    ['failed-target', scanWithFailedTarget],
  ])('writes no escape codes without colour (%s scan)', (_name, scan) => {
    const text = reporters.table(scan(), { color: false });

    expect(text).not.toContain(ESC);
  });

  it('colours severities and the verdict with colour on', () => {
    const scan = loadScan();

    const text = reporters.table(scan, { color: true });

    expect(text).toContain(`${ESC}[1;31mCRITICAL`);
    expect(text).toContain(`${ESC}[1;31mFAILED${ESC}[0m`);
    expect(text.replace(ANSI, '')).toBe(reporters.table(scan, { color: false }));
  });

  it.each([60, 80, 100, 140])('keeps every line within %i columns', (width) => {
    const scan = scanWithFailedTarget();
    scan.options.includePassed = true;
    const web = scan.workloads.find((w) => w.name === 'shop-web-1');
    if (!web) throw new Error('fixture changed');
    web.name = `shop-web-${'x'.repeat(120)}`;
    web.image = `registry.example.com/${'very-long-path/'.repeat(8)}web:2.3.1`;
    web.location.uri = `deploy/${'nested/'.repeat(12)}compose.yaml`;

    const text = reporters.table(scan, { color: true, width });

    const tooLong = lines(text.replace(ANSI, '')).filter((l) => l.length > width);
    expect(tooLong).toEqual([]);
  });

  it('writes a summary line per workload with containers under their engine', () => {
    const scan = loadScan();

    const summary = lines(reporters.table(scan, { color: false })).slice(3, 8);

    expect(summary.map((l) => l.replace(/\s+/g, ' '))).toEqual([
      'WORKLOAD SCORE DEPTH EFFECTIVE WORST FAILURE',
      'engine docker-host-1 0 0/1 - low docker/swarm-mode-disabled',
      ' container cache - 0/0 0/1 error: container inspect failed: (HTTP code ...',
      ' container legacy-admin 65 2/4 2/5 critical docker/no-privileged',
      ' container shop-web-1 75 2/4 2/5 critical docker/no-docker-socket-mount',
    ]);
  });

  it('shows a failing finding with its remediation on the next line', () => {
    const text = reporters.table(loadScan(), { color: false });

    const all = lines(text);
    const at = all.findIndex((l) => l.includes('docker/no-privileged') && l.includes('CRITICAL'));

    expect(all[at]).toMatch(/^ {2}CRITICAL {2}docker\/no-privileged {2}Container legacy-admin runs privileged\.$/);
    expect(all[at + 1]).toMatch(/^ {12}fix: Remove `--privileged`/);
  });

  it('marks a waived finding with its owner, expiry and source', () => {
    const text = reporters.table(loadScan(), { color: false });

    expect(text).toMatch(/WAIVED {4}docker\/read-only-rootfs \(medium\)/);
    expect(text.replace(/\s+/g, ' ')).toContain('waived by platform-team until 2027-03-31: Legacy image writes its PID file');
    expect(text).toContain('(.palisade/policy.yaml:18)');
  });

  it('shows an unscanned workload once instead of an error per check', () => {
    const text = reporters.table(loadScan(), { color: false });

    expect(text).toContain('not scanned: container inspect failed');
    expect(text).toContain('9 checks not evaluated');
    expect(text).not.toContain('Not evaluated:');
  });

  it('ends with stale waivers, the counts, the gate verdict and its reasons', () => {
    const text = reporters.table(loadScan(), { color: false });

    expect(lines(text).slice(-5)).toEqual([
      'Scan incomplete: could not scan container cache.',
      'Waiver docker/no-host-network (.palisade/policy.yaml:25) matched nothing; remove it.',
      '6 fail, 10 error, 1 waived, 1 not-applicable, 10 pass | gate FAILED (fail-on high, min-score 60)',
      '  - 2 failing finding(s) at or above high (2 critical)',
      '  - engine docker-host-1 scores 0 < 60',
    ]);
  });

  it('reports a clean scan and a passed gate', () => {
    const text = reporters.table(cleanScan(), { color: false });

    expect(text).toContain('No failing, waived or error findings.');
    expect(lines(text).at(-1)).toBe('0 fail, 0 error, 0 waived, 0 not-applicable, 10 pass | gate PASSED (fail-on high, min-score 60)');
  });

  it('names a target that could not be reached', () => {
    const text = reporters.table(scanWithFailedTarget(), { color: false });

    expect(text).toContain('target tcp://127.0.0.1:2376  error  connect ECONNREFUSED 127.0.0.1:2376');
    expect(text).toContain('Scan incomplete: could not scan target tcp://127.0.0.1:2376, container cache, engine');
  });

  it('does not pass control characters from a scanned engine to the terminal', () => {
    const scan = loadScan();
    const web = scan.workloads.find((w) => w.name === 'shop-web-1');
    const finding = scan.findings.find((f) => f.workloadId === web?.id && f.status === 'fail');
    if (!web || !finding) throw new Error('fixture changed');
    web.name = `evil${ESC}]0;pwned\u0007`;
    finding.message = `Container ${ESC}[2Jgone\nnext line`;

    const text = reporters.table(scan, { color: false });

    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\u0007');
    expect(text).toContain('Container \\x1b[2Jgone\\nnext line');
    expect(text).toContain('container evil\\x1b]0;pwned\\x07');
  });

  it('lists what changed since a baseline and marks new findings', () => {
    const scan = loadScan();
    const fixed = scan.findings.find((f) => f.status === 'fail');
    if (!fixed) throw new Error('fixture has no failing finding');
    scan.findings = scan.findings.map((f) => (f.status === 'fail' ? { ...f, baseline: f === fixed ? ('new' as const) : ('unchanged' as const) } : f));
    scan.baseline = { source: 'previous.json', new: 1, unchanged: 5, fixed: [{ ...fixed, key: 'OLD' }], notEvaluated: [] };

    const text = reporters.table(scan, { color: false });

    expect(text).toContain('Since baseline previous.json: 1 new, 1 fixed, 5 unchanged.');
    expect(text).toMatch(/fixed: \S+ OLD on /);
    expect(text).toContain('[new]');
  });
});

import { describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model/report.js';
import { reporters } from '../../src/reporters/index.js';
import { cleanScan, loadScan, scanWithFailedTarget } from './fixture.js';
import { childrenNamed, parseXml, type XmlElement } from './xml.js';

const WEB = 'container:docker-host-1/shop-web-1';

function render(scan: ScanResult): XmlElement {
  return parseXml(reporters.junit(scan, { color: false }));
}

function suites(root: XmlElement): XmlElement[] {
  return childrenNamed(root, 'testsuite');
}

function cases(suite: XmlElement): XmlElement[] {
  return childrenNamed(suite, 'testcase');
}

function suiteNamed(root: XmlElement, name: string): XmlElement {
  const suite = suites(root).find((s) => s.attributes['name'] === name);
  if (!suite) throw new Error(`no suite ${name}`);
  return suite;
}

function caseNamed(suite: XmlElement, name: string): XmlElement {
  const found = cases(suite).find((c) => c.attributes['name'] === name);
  if (!found) throw new Error(`no testcase ${name}`);
  return found;
}

/** What the children of the test cases say, counted the way the attributes claim to. */
function tally(testcases: readonly XmlElement[]): Record<'tests' | 'failures' | 'errors' | 'skipped', string> {
  const has = (name: string): number => testcases.filter((c) => childrenNamed(c, name).length > 0).length;
  return { tests: String(testcases.length), failures: String(has('failure')), errors: String(has('error')), skipped: String(has('skipped')) };
}

function counts(el: XmlElement): Record<'tests' | 'failures' | 'errors' | 'skipped', string | undefined> {
  const { tests, failures, errors, skipped } = el.attributes;
  return { tests, failures, errors, skipped };
}

describe('src/reporters/junit', () => {
  it('matches the golden JUnit report for the mixed scan', async () => {
    const scan = loadScan();

    const text = reporters.junit(scan, { color: false });

    await expect(text).toMatchFileSnapshot('__snapshots__/mixed-scan.junit.xml');
  });

  it.each([
    ['mixed', loadScan],
    ['clean', cleanScan],
    ['failed-target', scanWithFailedTarget],
  ])('writes well-formed XML whose counts match its test cases (%s scan)', (_name, load) => {
    const scan = load();

    const root = render(scan);

    expect(root.name).toBe('testsuites');
    for (const suite of suites(root)) expect(counts(suite)).toEqual(tally(cases(suite)));
    expect(counts(root)).toEqual(tally(suites(root).flatMap(cases)));
    expect(counts(root)).toEqual({
      tests: String(scan.findings.length),
      failures: String(scan.summary.fail),
      errors: String(scan.summary.error),
      skipped: String(scan.summary.waived + scan.summary['not-applicable']),
    });
  });

  it('has one test suite per workload, named by kind and name', () => {
    const scan = loadScan();

    const root = render(scan);

    expect(suites(root).map((s) => s.attributes['name'])).toEqual([
      'container cache',
      'container legacy-admin',
      'container shop-web-1',
      'engine docker-host-1',
    ]);
    const web = suiteNamed(root, 'container shop-web-1');
    const props = Object.fromEntries(childrenNamed(childrenNamed(web, 'properties')[0]!, 'property').map((p) => [p.attributes['name'], p.attributes['value']]));
    expect(props).toMatchObject({ 'workload.id': WEB, 'workload.location': 'deploy/compose.yaml:12', 'workload.score': '75', 'workload.depth': '2/4' });
  });

  it('lists passing findings as empty test cases even without --include-passed', () => {
    const scan = loadScan();

    const web = suiteNamed(render(scan), 'container shop-web-1');

    expect(scan.options.includePassed).toBe(false);
    const pass = caseNamed(web, 'docker/no-privileged');
    expect(pass.attributes).toEqual({ classname: 'docker/no-privileged', name: 'docker/no-privileged' });
    expect(pass.children).toEqual([]);
  });

  it('reports a failing finding as a failure typed by severity, with evidence and remediation', () => {
    const web = suiteNamed(render(loadScan()), 'container shop-web-1');

    const testcase = caseNamed(web, 'docker/no-docker-socket-mount [/var/run/docker.sock]');

    expect(testcase.attributes['classname']).toBe('docker/no-docker-socket-mount');
    const [failure] = childrenNamed(testcase, 'failure');
    expect(failure?.attributes).toEqual({
      message: 'Container shop-web-1 mounts runtime socket /var/run/docker.sock at /var/run/docker.sock.',
      type: 'critical',
    });
    expect(failure?.text).toContain('Evidence: Mounts[].Source from container inspect');
    expect(failure?.text).toContain('Remediation: Remove the socket mount');
    expect(failure?.text).toContain('fingerprint: 1b441fd792d0ef4cda36f55fa1797c21');
  });

  it('reports a check that could not run as an error', () => {
    const web = suiteNamed(render(loadScan()), 'container shop-web-1');

    const [error] = childrenNamed(caseNamed(web, 'docker/healthcheck-configured'), 'error');

    expect(error?.attributes['message']).toMatch(/^check docker\/healthcheck-configured failed/);
  });

  it.each([
    ['container shop-web-1', 'docker/read-only-rootfs', /^Waived: Legacy image .* \(owner platform-team, expires 2027-03-31, declared in \.palisade\/policy\.yaml:18\)$/],
    ['container legacy-admin', 'docker/no-default-bridge', /^Not applicable: The container uses the host's network stack/],
  ])('skips a waived or not-applicable finding with why (%s %s)', (suite, check, message) => {
    const testcase = caseNamed(suiteNamed(render(loadScan()), suite), check);

    const [skipped] = childrenNamed(testcase, 'skipped');

    expect(skipped?.attributes['message']).toMatch(message);
  });

  it('says in the suite why a workload could not be scanned', () => {
    const cache = suiteNamed(render(loadScan()), 'container cache');

    const [systemErr] = childrenNamed(cache, 'system-err');

    expect(systemErr?.text).toMatch(/^not scanned: container inspect failed/);
    expect(counts(cache)).toMatchObject({ errors: '9', failures: '0' });
  });

  it('escapes markup, quotes and white space in attributes and text', () => {
    const scan = loadScan();
    const finding = scan.findings.find((f) => f.status === 'fail' && f.workloadId === WEB);
    if (!finding) throw new Error('fixture changed');
    finding.message = `<script>alert("x")</script> & 'quoted'\tend\nline2\r ]]>`;
    finding.key = 'a"b<c>&d';

    const testcase = caseNamed(suiteNamed(render(scan), 'container shop-web-1'), `${finding.checkId} [a"b<c>&d]`);

    const [failure] = childrenNamed(testcase, 'failure');
    expect(failure?.attributes['message']).toBe(`<script>alert("x")</script> & 'quoted'\\tend\\nline2\\r ]]>`);
    expect(failure?.text.startsWith(`<script>alert("x")</script> & 'quoted'\tend\nline2\\r ]]>\n`)).toBe(true);
  });

  it.each([
    ['NUL', '\u0000', '\\x00'],
    ['escape', '\u001b[31m', '\\x1b[31m'],
    ['vertical tab', '\u000b', '\\x0b'],
    ['U+FFFE', '\ufffe', '\\ufffe'],
    ['a lone high surrogate', '\ud83d', '\\ud83d'],
    ['a lone low surrogate', '\ude00', '\\ude00'],
  ])('writes %s, which XML 1.0 forbids, as a visible escape', (_name, raw, shown) => {
    const scan = loadScan();
    const web = scan.workloads.find((w) => w.id === WEB);
    const finding = scan.findings.find((f) => f.status === 'fail' && f.workloadId === WEB);
    if (!web || !finding) throw new Error('fixture changed');
    web.name = `web${raw}`;
    finding.message = `bad ${raw} here`;

    const root = render(scan);

    const suite = suiteNamed(root, `container web${shown}`);
    const [failure] = childrenNamed(caseNamed(suite, finding.checkId), 'failure');
    expect(failure?.attributes['message']).toBe(`bad ${shown} here`);
  });

  it('keeps a surrogate pair (an emoji) as it is', () => {
    const scan = loadScan();
    const web = scan.workloads.find((w) => w.id === WEB);
    if (!web) throw new Error('fixture changed');
    web.name = 'web-\u{1f600}';

    const root = render(scan);

    expect(suites(root).map((s) => s.attributes['name'])).toContain('container web-\u{1f600}');
  });

  it('tells apart workloads of the same kind and name on two engines', () => {
    const scan = loadScan();
    const web = scan.workloads.find((w) => w.id === WEB);
    if (!web) throw new Error('fixture changed');
    scan.workloads.push({ ...web, id: 'container:docker-host-2/shop-web-1', parent: 'engine:docker-host-2' });

    const names = suites(render(scan)).map((s) => s.attributes['name']);

    expect(names).toContain(`container shop-web-1 (${WEB})`);
    expect(names).toContain('container shop-web-1 (container:docker-host-2/shop-web-1)');
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives findings of a workload missing from the report a suite of their own', () => {
    const scan = loadScan();
    scan.workloads = scan.workloads.filter((w) => w.id !== WEB);

    const root = render(scan);

    const suite = suiteNamed(root, WEB);
    expect(cases(suite)).toHaveLength(scan.findings.filter((f) => f.workloadId === WEB).length);
    expect(counts(root).tests).toBe(String(scan.findings.length));
  });

  it('times the whole scan on the root and stamps suites without a zone', () => {
    const root = render(loadScan());

    expect(root.attributes).toMatchObject({ name: 'palisade', time: '2.418', timestamp: '2026-11-28T12:00:00' });
    expect(suites(root).every((s) => s.attributes['timestamp'] === '2026-11-28T12:00:00')).toBe(true);
  });

  it('is the same for the same scan whatever the order of its findings', () => {
    const scan = loadScan();
    const shuffled = loadScan();
    shuffled.findings.reverse();
    shuffled.workloads.reverse();

    const a = reporters.junit(scan, { color: false });
    const b = reporters.junit(shuffled, { color: false });

    expect(b).toBe(a);
  });
});

describe('test/reporters/xml', () => {
  const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

  it.each([
    ['no declaration', '<a/>'],
    ['an unclosed element', `${DECL}<a><b></a>`],
    ['an unquoted attribute', `${DECL}<a b=1/>`],
    ['a duplicate attribute', `${DECL}<a b="1" b="2"/>`],
    ['a raw < in an attribute', `${DECL}<a b="<"/>`],
    ['a bare ampersand', `${DECL}<a>x & y</a>`],
    ['an unknown entity', `${DECL}<a>&nbsp;</a>`],
    ['a control character', `${DECL}<a>\u001b</a>`],
    ['a reference to a control character', `${DECL}<a>&#27;</a>`],
    ['a lone surrogate', `${DECL}<a>\ud800</a>`],
    ['two roots', `${DECL}<a/><b/>`],
    [']]> in text', `${DECL}<a>]]></a>`],
  ])('refuses %s', (_name, xml) => {
    const parse = (): unknown => parseXml(xml);

    expect(parse).toThrow(/^XML: /);
  });

  it('decodes references and normalises white space in attributes', () => {
    const el = parseXml(`${DECL}<a b="x&#10;y\tz" c='&quot;&lt;&#x41;'>t&amp;u\r\nv</a>`);

    expect(el).toEqual({ name: 'a', attributes: { b: 'x\ny z', c: '"<A' }, children: [], text: 't&u\nv' });
  });
});

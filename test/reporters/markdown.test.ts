import { describe, expect, it } from 'vitest';

import type { Finding, ScanResult, Workload } from '../../src/model/report.js';
import { reporters } from '../../src/reporters/index.js';
import { escapeMarkdown, MARKDOWN_LIMIT, markdownWithCode } from '../../src/reporters/markdown.js';
import { cleanScan, countByStatus, loadScan, scanWithFailedTarget } from './fixture.js';

const WEB = 'container:docker-host-1/shop-web-1';

function render(scan: ScanResult): string {
  return reporters.markdown(scan, { color: false });
}

/** The lines of one `#### title` section, up to the next heading. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`#### ${title}`);
  if (start < 0) throw new Error(`no section ${title}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== '');
}

/** Table cells of a row: split on pipes that no backslash escapes. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i] as string;
    if (c === '\\') {
      cell += c + (row[i + 1] ?? '');
      i++;
    } else if (c === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  // A row starts and ends with a pipe.
  return out.slice(1, -1);
}

function tableRows(lines: readonly string[]): string[][] {
  return lines.filter((l) => l.startsWith('|')).slice(2).map(cells);
}

function worstItems(text: string): string[] {
  return section(text, 'Worst findings').filter((l) => /^\d+\. /.test(l));
}

function waived(scan: ScanResult): Finding {
  const f = scan.findings.find((x) => x.status === 'waived');
  if (!f?.waiver) throw new Error('fixture has no waived finding');
  return f;
}

/** `n` failing findings of increasing severity rank on one workload, for size and ordering tests. */
function manyFailures(scan: ScanResult, n: number, message = (i: number): string => `Violation ${i}.`): Finding[] {
  const template = scan.findings.find((f) => f.status === 'fail' && f.workloadId === WEB);
  if (!template) throw new Error('fixture changed');
  const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
  return Array.from({ length: n }, (_, i) => ({
    ...template,
    severity: severities[i % severities.length] as Finding['severity'],
    key: `k${String(i).padStart(5, '0')}`,
    message: message(i),
    fingerprint: `fp-${i}`,
  }));
}

describe('src/reporters/markdown', () => {
  it('matches the golden summary for the mixed scan', async () => {
    const scan = loadScan();

    const text = render(scan);

    await expect(text).toMatchFileSnapshot('__snapshots__/mixed-scan.md');
  });

  it.each([
    ['mixed', loadScan, '### Gate: FAILED (fail-on high, min-score 60)'],
    ['clean', cleanScan, '### Gate: PASSED (fail-on high, min-score 60)'],
  ])('starts with the gate verdict (%s scan)', (_name, load, first) => {
    const text = render(load());

    expect(text.split('\n')[0]).toBe(first);
  });

  it('lists the reasons the gate failed under the verdict', () => {
    const text = render(loadScan());

    expect(text).toContain('\n- 2 failing finding(s) at or above high (2 critical)\n- engine docker-host-1 scores 0 &lt; 60\n');
  });

  it('says which targets and workloads could not be scanned', () => {
    const text = render(scanWithFailedTarget());

    expect(text).toContain('**Scan incomplete:** could not scan target tcp:\u200b//127.0.0.1:2376, container cache, engine tcp:\u200b//127.0.0.1:2376.');
  });

  it('has a row per workload with kind, name, score, depth and worst finding, worst first', () => {
    const scan = loadScan();

    const rows = tableRows(section(render(scan), 'Workloads'));

    expect(rows).toEqual([
      ['container', 'legacy-admin', '65', '2/4', 'critical docker/no-privileged'],
      ['container', 'shop-web-1', '75', '2/4', 'critical docker/no-docker-socket-mount'],
      ['engine', 'docker-host-1', '0', '0/1', 'low docker/swarm-mode-disabled'],
      ['container', 'cache', '-', '0/0', expect.stringMatching(/^not scanned: container inspect failed/)],
    ]);
  });

  it('lists the worst failing findings by severity with check, workload, message and fix', () => {
    const text = render(loadScan());

    const items = worstItems(text);

    expect(items.map((l) => /^\d+\. \*\*(\w+)\*\* (\S+)/.exec(l)?.slice(1))).toEqual([
      ['critical', 'docker/no-privileged'],
      ['critical', 'docker/no-docker-socket-mount'],
      ['medium', 'docker/pids-limited'],
      ['medium', 'docker/memory-limited'],
      ['low', 'docker/capabilities-dropped'],
      ['low', 'docker/swarm-mode-disabled'],
    ]);
    expect(items[1]).toContain(' [/var/run/docker.sock] on container shop-web-1 (deploy/compose.yaml:12): Container shop-web-1 mounts');
    expect(items[1]).toContain('<br>Fix: Remove the socket mount');
  });

  it('lists at most 20 worst findings and says how many more there are', () => {
    const scan = loadScan();
    scan.findings.push(...manyFailures(scan, 30));
    scan.summary = countByStatus(scan.findings);

    const lines = section(render(scan), 'Worst findings');

    const items = lines.filter((l) => /^\d+\. /.test(l));
    expect(items).toHaveLength(20);
    expect(items.slice(0, 8).every((l) => l.includes('**critical**'))).toBe(true);
    expect(lines.at(-1)).toBe('16 more failing findings not shown.');
  });

  it('leaves waived findings out of the worst findings', () => {
    const text = render(loadScan());

    expect(worstItems(text).some((l) => l.includes('docker/read-only-rootfs'))).toBe(false);
  });

  it.each([
    ['2026-11-28', 'today'],
    ['2026-12-10', 'in 12 days'],
    ['2026-12-28', 'in 30 days'],
  ])('lists a waiver expiring on %s (%s) with owner and where it is declared', (expires, due) => {
    const scan = loadScan();
    waived(scan).waiver!.expires = expires;

    const rows = tableRows(section(render(scan), 'Waivers expiring within 30 days'));

    expect(rows).toEqual([
      [
        `${expires} (${due})`,
        'platform-team',
        'docker/read-only-rootfs',
        'container shop-web-1',
        '.palisade/policy.yaml:18',
        'Legacy image writes its PID file under /var/run; fix tracked in SHOP-412',
      ],
    ]);
  });

  it.each([
    ['expires after 30 days', '2026-12-29'],
    ['never expires', undefined],
  ])('leaves out a waiver that %s', (_name, expires) => {
    const scan = loadScan();
    waived(scan).waiver!.expires = expires;

    const lines = section(render(scan), 'Waivers expiring within 30 days');

    expect(lines).toEqual(['No waiver expires within 30 days of this scan.']);
  });

  it('groups the findings one waiver covers into one row, soonest expiry first', () => {
    const scan = loadScan();
    const first = waived(scan);
    first.waiver!.expires = '2026-12-20';
    const legacy = scan.findings.find((f) => f.checkId === first.checkId && f.workloadId === 'container:docker-host-1/legacy-admin');
    if (!legacy) throw new Error('fixture changed');
    Object.assign(legacy, { status: 'waived', waiver: { ...first.waiver } });
    const engine = scan.findings.find((f) => f.workloadId === 'engine:docker-host-1');
    if (!engine) throw new Error('fixture changed');
    Object.assign(engine, { status: 'waived', waiver: { reason: 'Swarm until Q1', source: 'policy.yaml:40', expires: '2026-12-01' } });

    const rows = tableRows(section(render(scan), 'Waivers expiring within 30 days'));

    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['2026-12-01 (in 3 days)', '-', 'engine docker-host-1'],
      ['2026-12-20 (in 22 days)', 'platform-team', 'container legacy-admin, container shop-web-1'],
    ]);
  });

  it('ends with the counts by status', () => {
    const scan = loadScan();

    const rows = tableRows(section(render(scan), 'Counts'));

    expect(rows).toEqual([['6', '10', '1', '1', '10']]);
  });

  it('keeps hostile names from breaking the table, adding markup or mentioning anyone', () => {
    const scan = loadScan();
    const web = scan.workloads.find((w) => w.id === WEB) as Workload;
    web.name = 'a|b `code` <img src=x onerror=alert(1)> [click](https://evil.example) @octocat *bold* $x$\nnext \\| end';

    const text = render(scan);

    const row = tableRows(section(text, 'Workloads')).find((r) => r[1]?.startsWith('a'));
    expect(row).toHaveLength(5);
    expect(row?.[1]).toBe(
      'a\\|b \\`code\\` &lt;img src=x onerror=alert(1)&gt; \\[click\\](https:\u200b//evil.example) @\u200boctocat \\*bold\\* \\$x\\$ next \\\\\\| end',
    );
    expect(text).not.toContain('<img');
    expect(section(text, 'Workloads').join('\n')).not.toMatch(/(^|[^\\])`/m);
  });

  it.each([
    ['a control character', 'a\u001b[31mb', 'a\\\\x1b\\[31mb'],
    ['a bidirectional override', 'ab\u202ecd', 'ab\\\\u202ecd'],
    ['a newline', 'a\nb', 'a b'],
    ['a bare link', 'see https://evil.example', 'see https:\u200b//evil.example'],
    ['a www link', 'see www.evil.example', 'see www\u200b.evil.example'],
    ['an ampersand entity', '&lt;', '&amp;lt;'],
    ['a mention of a team', '@org/team', '@\u200borg/team'],
    ['an e-mail address', 'me@example.com', 'me@\u200bexample.com'],
  ])('escapes %s', (_name, input, expected) => {
    const escaped = escapeMarkdown(input);

    expect(escaped).toBe(expected);
  });

  it('keeps the code spans of a remediation so commands copy as they are', () => {
    const text = render(loadScan());

    const item = worstItems(text).find((l) => l.includes('docker/pids-limited'));

    expect(item).toContain('Fix: Run with `--pids-limit <n>` sized to the workload (Compose: `pids_limit: <n>`, or `deploy.resources.limits.pids`).');
  });

  it.each([
    ['code and text', 'Use `--user <uid>` not <root> @admin', 'Use `--user <uid>` not &lt;root&gt; @\u200badmin'],
    ['an unpaired backtick', 'a `b` c ` d', 'a `b` c \\` d'],
    ['a mention inside code', 'run `img@sha256:abc`', 'run `img@sha256:abc`'],
  ])('writes remediation text with %s', (_name, input, expected) => {
    const md = markdownWithCode(input);

    expect(md).toBe(expected);
  });

  it('cuts long values before escaping them, never inside an escape', () => {
    const escaped = escapeMarkdown('|'.repeat(50), 30);

    expect(escaped).toBe(`${'\\|'.repeat(18)}…(+32 chars)`);
  });

  it('stays under the GitHub comment limit for a very large scan, keeping the worst findings and counts', () => {
    const scan = loadScan();
    const web = scan.workloads.find((w) => w.id === WEB) as Workload;
    for (let i = 0; i < 5000; i++) {
      scan.workloads.push({ ...web, id: `container:docker-host-1/w${i}`, name: `worker-${i}-${'x'.repeat(60)}` });
    }
    scan.findings.push(...manyFailures(scan, 500, (i) => `${'<&|>'.repeat(150)} ${i}`));
    scan.summary = countByStatus(scan.findings);

    const text = render(scan);

    expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(worstItems(text)).toHaveLength(20);
    expect(section(text, 'Workloads').at(-1)).toMatch(/^\d+ more workloads not shown\.$/);
    expect(tableRows(section(text, 'Counts'))).toEqual([[String(scan.summary.fail), '10', '1', '1', '10']]);
    expect(text).toContain("_Shortened to stay under GitHub's 65,536-character comment limit;");
  });

  it('says nothing about shortening a report that fits', () => {
    const text = render(loadScan());

    expect(text).not.toContain('Shortened');
    expect(text).not.toContain('not shown');
  });

  it('is the same for the same scan whatever the order of its findings', () => {
    const scan = loadScan();
    const shuffled = loadScan();
    shuffled.findings.reverse();
    shuffled.workloads.reverse();

    const a = render(scan);
    const b = render(shuffled);

    expect(b).toBe(a);
  });
});

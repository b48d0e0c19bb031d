import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model/report.js';
import { reporters, type ReporterName } from '../../src/reporters/index.js';
import { ESC, expectSafeReports, HOSTILE, HOSTILE_LABELS, PEM, REDACTED_LABELS, SECRET, type Reports } from '../helpers/hostile.js';
import { sarifSchemaValidator } from '../helpers/sarif-schema.js';
import { loadScan } from './fixture.js';

const ALL = Object.values(HOSTILE).join(' ');

/** The mixed scan with every target-supplied field of one container, and its findings, made hostile. */
function hostileScan(): ScanResult {
  const scan = loadScan();
  const web = scan.workloads.find((w) => w.name === 'shop-web-1');
  const findings = scan.findings.filter((f) => f.workloadId === web?.id);
  if (!web || findings.length === 0) throw new Error('fixture changed');
  web.name = `web ${HOSTILE.escapes} ${HOSTILE.bidi} ${HOSTILE.markdown} ${HOSTILE.xml}`;
  web.image = `evil.example/x:${SECRET.github}${HOSTILE.escapes}`;
  web.labels = { ...HOSTILE_LABELS, [`key${ESC}[2J`]: 'x' };
  web.warnings = [`warning ${ALL} ${SECRET.slack}`];
  for (const f of findings) {
    f.message = `${f.message} ${ALL} ${SECRET.jwt}`;
    f.key = `${HOSTILE.markdown}${SECRET.google}`;
    f.evidence = {
      source: 'container inspect',
      path: 'Config.Cmd',
      observed: ['sh', '-c', `curl -H "Authorization: Bearer ${SECRET.jwt}" https://u:${SECRET.urlPassword}@x ${HOSTILE.sarif}`, PEM],
      expected: { password: SECRET.envPassword },
    };
    if (f.waiver) f.waiver = { ...f.waiver, reason: `${HOSTILE.markdown} ${HOSTILE.escapes}`, owner: `@octocat${HOSTILE.bidi}` };
    if (f.status === 'error' || f.status === 'not-applicable') f.reason = `${ALL} ${SECRET.stripe}`;
  }
  scan.targets.push({ target: `tcp://127.0.0.1:1${HOSTILE.escapes}`, kind: 'docker', status: 'error', error: `engine said ${ALL} ${SECRET.aws}`, workloads: 0, durationMs: 1 });
  scan.workloads.push({ ...web, id: 'container:docker-host-1/broken', name: `broken${HOSTILE.escapes}`, error: `inspect failed: ${ALL} ${PEM}`, identity: 'docker:docker-host-1/broken' });
  scan.gate.reasons.push(`workload ${HOSTILE.escapes} scores 0`);
  scan.incomplete = true;
  return scan;
}

function renderAll(scan: ScanResult): Reports {
  const names: ReporterName[] = ['table', 'json', 'sarif', 'markdown', 'junit'];
  return Object.fromEntries(names.map((n) => [n, reporters[n](scan, { color: false, width: 100 })])) as unknown as Reports;
}

describe('src/reporters with hostile target values', () => {
  let validateSarif: ValidateFunction;

  beforeAll(() => {
    validateSarif = sarifSchemaValidator();
  });

  it('keeps every format well-formed, escaped and free of secrets', () => {
    const reports = renderAll(hostileScan());

    expectSafeReports(reports, validateSarif);
  });

  it('says in JSON that each secret label exists and which kind it was, and keeps long values whole', () => {
    const report = JSON.parse(renderAll(hostileScan()).json) as { workloads: { name: string; labels: Record<string, string> }[] };

    const web = report.workloads.find((w) => w.name.startsWith('web '));
    expect(web?.labels).toMatchObject(REDACTED_LABELS);
  });

  it('shows escape sequences in the table as visible escapes and cuts long values with a marker', () => {
    const { table } = renderAll(hostileScan());

    expect(table).toContain('clear\\x1b[2J\\x1b]0;pwned\\x07');
    expect(table).toContain('invoice\\u202egpj.exe');
    expect(table).toMatch(/…\(\+\d+ chars\)/);
  });

  it('neutralises SARIF placeholders and embedded links in messages', () => {
    const log = JSON.parse(renderAll(hostileScan()).sarif) as { runs: { results: { message: { text: string } }[] }[] };

    const texts = log.runs[0]?.results.map((r) => r.message.text) ?? [];
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) {
      expect(t).not.toMatch(/(^|[^{]){\d+}/);
      expect(t).not.toMatch(/(^|[^\\])\[[^\]]*\]\(\d+\)/);
    }
  });
});

import { describe, expect, it } from 'vitest';

import { toCodeQuality } from '../../src/reporters/codequality.js';
import { reporters } from '../../src/reporters/index.js';
import { loadScan } from './fixture.js';

describe('src/reporters/codequality', () => {
  it('lists each failing finding as a GitLab Code Quality issue with a stable fingerprint', () => {
    const scan = loadScan();

    const issues = toCodeQuality(scan);

    const failing = scan.findings.filter((f) => f.status === 'fail');
    expect(issues).toHaveLength(failing.length);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    for (const issue of issues) {
      expect(Object.keys(issue).sort()).toEqual(['check_name', 'description', 'fingerprint', 'location', 'severity']);
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(issue.severity);
      expect(issue.location.lines.begin).toBeGreaterThanOrEqual(1);
      expect(issue.location.path).not.toMatch(/^\/|:\/\//);
    }
  });

  it('prefers the finding location (the Compose key) to the workload location', () => {
    const scan = loadScan();
    const f = scan.findings.find((x) => x.status === 'fail');
    if (!f) throw new Error('fixture has no failing finding');
    f.location = { uri: 'compose.yaml', startLine: 14, synthetic: false };

    const issue = toCodeQuality(scan).find((i) => i.fingerprint === f.fingerprint);

    expect(issue?.location).toEqual({ path: 'compose.yaml', lines: { begin: 14 } });
    expect(issue?.severity).toBe({ critical: 'blocker', high: 'critical', medium: 'major', low: 'minor', info: 'info' }[f.severity]);
  });

  it('is a registered format that renders a JSON array', () => {
    const text = reporters.codequality(loadScan(), { color: false });

    expect(Array.isArray(JSON.parse(text))).toBe(true);
  });
});

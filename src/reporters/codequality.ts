// GitLab Code Quality report (`artifacts: reports: codequality`): a JSON array
// of issues, each with a description, check name, stable fingerprint,
// severity and a repository path and line, so failing findings show in merge
// request diffs. Waived, passing and not-applicable findings are not issues.
import type { Severity } from '../model/check.js';
import type { Finding, ScanResult } from '../model/report.js';
import { compareFindings } from './format.js';
import type { Reporter } from './index.js';

/** GitLab's scale: info, minor, major, critical, blocker. */
const SEVERITY: Record<Severity, string> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}

export function toCodeQuality(scan: ScanResult): CodeQualityIssue[] {
  const workloads = new Map(scan.workloads.map((w) => [w.id, w]));
  return scan.findings
    .filter((f: Finding) => f.status === 'fail')
    .sort(compareFindings)
    .map((f) => {
      const at = f.location ?? workloads.get(f.workloadId)?.location;
      return {
        description: `${f.message} (${f.workloadId})`,
        check_name: f.checkId,
        fingerprint: f.fingerprint,
        severity: SEVERITY[f.severity],
        location: { path: at?.uri ?? `.palisade/workloads/${encodeURIComponent(f.workloadId)}`, lines: { begin: Math.max(1, at?.startLine ?? 1) } },
      };
    });
}

export const codeQualityReporter: Reporter = (scan) => `${JSON.stringify(toCodeQuality(scan), null, 2)}\n`;

// `palisade policy explain`: which policy entry decided each check for a workload.
import { escapeControls, jsonSafe } from '../lib/sanitize.js';
import type { ResolvedCheck } from '../policy/policy.js';
import type { WorkloadAttributes } from '../policy/selector.js';

function targetOf(kind: WorkloadAttributes['kind']): string {
  return kind;
}

export function explainRows(checks: readonly ResolvedCheck[], workload: WorkloadAttributes): ResolvedCheck[] {
  return checks.filter((c) => c.check.target === targetOf(workload.kind));
}

export function explainText(policyName: string, checks: readonly ResolvedCheck[], workload: WorkloadAttributes): string {
  const rows = explainRows(checks, workload);
  const out: string[] = [`policy ${policyName}, ${workload.kind} ${workload.name}: ${rows.filter((r) => r.enabled).length}/${rows.length} checks enabled`, ''];
  for (const r of rows) {
    out.push(`${r.check.id}  ${r.enabled ? 'enabled' : 'disabled'}  ${r.severity}`);
    out.push(`  enabled by:  ${r.decidedBy?.enabled ?? '?'}`);
    out.push(`  severity by: ${r.decidedBy?.severity ?? '?'}`);
    for (const [name, value] of Object.entries(r.params)) {
      out.push(`  param ${name} = ${JSON.stringify(value)}  (${r.decidedBy?.params[name] ?? '?'})`);
    }
  }
  // Names and values come from the policy file: no line may drive the terminal.
  return `${out.map((line) => escapeControls(line)).join('\n')}\n`;
}

export function explainJson(policyName: string, checks: readonly ResolvedCheck[], workload: WorkloadAttributes): string {
  const rows = explainRows(checks, workload).map((r) => ({
    checkId: r.check.id,
    enabled: r.enabled,
    severity: r.severity,
    params: r.params,
    decidedBy: r.decidedBy,
  }));
  return `${jsonSafe(JSON.stringify({ policy: policyName, workload, checks: rows }, null, 2))}\n`;
}

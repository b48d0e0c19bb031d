// What `palisade serve` calls a regression between two consecutive scans: a
// new failing finding at or above a severity threshold, or a workload that
// lost a layer. From the history's diff (diffScans); the webhook body is
// built here too.
import type { DiffFinding, LayerLoss, ScanDiff } from '../history/types.js';
import type { Severity } from '../model/check.js';
import { severityRank } from '../reporters/format.js';

export const DEFAULT_REGRESSION_THRESHOLD: Severity = 'high';
/** Most items listed in the webhook text (all of them are in the structured fields, up to MAX_ITEMS). */
const MAX_TEXT_ITEMS = 10;
const MAX_ITEMS = 200;

export interface Regression {
  threshold: Severity;
  newFindings: DiffFinding[];
  layersLost: LayerLoss[];
}

/** The regression in a diff, or undefined when there is none. */
export function findRegression(diff: ScanDiff, threshold: Severity): Regression | undefined {
  const limit = severityRank(threshold);
  const newFindings = diff.new.filter((f) => f.status === 'fail' && severityRank(f.severity) <= limit);
  const layersLost = diff.layersLost.filter((l) => l.lost.length > 0);
  if (newFindings.length === 0 && layersLost.length === 0) return undefined;
  newFindings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.checkId < b.checkId ? -1 : 1));
  return { threshold, newFindings, layersLost };
}

/** Slack's mrkdwn needs only these three escaped; a name can then neither link nor mention anyone. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function regressionSummary(r: Regression): string {
  const parts: string[] = [];
  if (r.newFindings.length) parts.push(`${r.newFindings.length} new finding(s) at or above ${r.threshold}`);
  if (r.layersLost.length) parts.push(`${r.layersLost.length} workload(s) lost a layer`);
  return parts.join(', ');
}

export interface RegressionContext {
  scope: string;
  scanId?: string;
  previousScanId?: string;
  startedAt: string;
  previousStartedAt: string;
}

/** The webhook body: Slack-compatible `text`, and the same facts as fields. */
export function regressionPayload(r: Regression, ctx: RegressionContext): Record<string, unknown> {
  const lines = [`*palisade: regression in ${slackEscape(ctx.scope)}*: ${regressionSummary(r)} (scan ${ctx.startedAt}, compared with ${ctx.previousStartedAt})`];
  for (const f of r.newFindings.slice(0, MAX_TEXT_ITEMS)) {
    lines.push(`\u2022 ${f.severity} ${slackEscape(f.checkId)} on ${f.workload.kind} ${slackEscape(f.workload.name)}: ${slackEscape(f.message)}`);
  }
  for (const l of r.layersLost.slice(0, MAX_TEXT_ITEMS)) {
    lines.push(`\u2022 ${l.kind} ${slackEscape(l.name)} lost ${l.lost.join(', ')}`);
  }
  const more = Math.max(0, r.newFindings.length - MAX_TEXT_ITEMS) + Math.max(0, r.layersLost.length - MAX_TEXT_ITEMS);
  if (more > 0) lines.push(`\u2026 and ${more} more`);
  return {
    text: lines.join('\n'),
    event: 'palisade.regression',
    scope: ctx.scope,
    scan: { id: ctx.scanId ?? null, startedAt: ctx.startedAt },
    previous: { id: ctx.previousScanId ?? null, startedAt: ctx.previousStartedAt },
    threshold: r.threshold,
    newFindings: r.newFindings.slice(0, MAX_ITEMS).map((f) => ({
      check: f.checkId,
      severity: f.severity,
      layer: f.layer,
      workload: f.workload,
      message: f.message,
      fingerprint: f.fingerprint,
    })),
    layersLost: r.layersLost.slice(0, MAX_ITEMS).map((l) => ({ workload: { identity: l.identity, kind: l.kind, name: l.name }, lost: l.lost })),
    truncated: r.newFindings.length > MAX_ITEMS || r.layersLost.length > MAX_ITEMS,
  };
}

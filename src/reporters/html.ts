// A self-contained HTML report: one file with inline CSS and inline SVG, no
// script and no request when opened (its Content-Security-Policy forbids
// every fetch). The estate summary, each workload's layers as a picture, the
// score and depth trend over the recorded history, findings grouped by
// workload with their fix, and waivers about to expire. Everything a target,
// an inventory or a policy wrote is escaped (html-escape.ts).
import type { WorkloadTrendPoint } from '../history/types.js';
import { LAYERS } from '../model/check.js';
import { FINDING_STATUSES, type Finding, type ScanResult, type WaiverStatus, type Workload } from '../model/report.js';
import { redactScan } from '../scan/redact.js';
import { compareFindings, formatScore, isListed, referenceLabel, referenceUrl, severityRank } from './format.js';
import { escapeHtml, htmlWithCode } from './html-escape.js';
import { HTML_STYLE } from './html-style.js';
import { LAYER_ABBREVIATIONS, layerRowSvg, trendChartSvg, type EstatePoint } from './html-svg.js';
import type { Reporter } from './index.js';

export const DEFAULT_EXPIRY_DAYS = 14;
/** Groups start open when the report lists at most this many findings. */
const OPEN_GROUPS_UP_TO = 200;
const DAY_MS = 86_400_000;

export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export interface HtmlReportOptions {
  /**
   * Workload trend points from the history store (any order). Undefined or
   * empty: the report says there is no history.
   */
  trend?: readonly WorkloadTrendPoint[];
  /** Where the trend starts, for the caption. */
  since?: Date;
  /** Waivers expiring within this many days are listed (default 14). */
  expiryDays?: number;
  /** The reference time for waiver expiry; default the scan's finishedAt. */
  now?: Date;
}

const esc = escapeHtml;

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function oneDecimal(n: number): string {
  return (Math.round(n * 10) / 10).toFixed(1);
}

/** One point per recorded scan, oldest first. */
export function estatePoints(trend: readonly WorkloadTrendPoint[]): EstatePoint[] {
  const byScan = new Map<string, { at: string; scores: number[]; depths: number[] }>();
  for (const p of trend) {
    let s = byScan.get(p.scanId);
    if (!s) byScan.set(p.scanId, (s = { at: p.at, scores: [], depths: [] }));
    if (p.score !== null) s.scores.push(p.score);
    s.depths.push(p.depth.holding);
  }
  return [...byScan.entries()]
    .map(([scanId, s]) => ({
      scanId,
      at: s.at,
      meanScore: mean(s.scores),
      meanDepth: mean(s.depths) ?? 0,
      minDepth: s.depths.length === 0 ? 0 : Math.min(...s.depths),
      workloads: s.depths.length,
    }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.scanId < b.scanId ? -1 : 1));
}

function summarySection(scan: ScanResult): string {
  const scored = scan.workloads.filter((w) => w.score !== null).map((w) => w.score as number);
  const meanScore = mean(scored);
  const depths = scan.workloads.filter((w) => w.error === undefined).map((w) => w.depth.holding);
  const kinds = (['host', 'engine', 'container'] as const)
    .map((k) => [k, scan.workloads.filter((w) => w.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`)
    .join(', ');
  const failedTargets = scan.targets.filter((t) => t.status === 'error');
  const gate = scan.gate;
  const tiles = [
    ['workloads', 'Workloads', `${scan.workloads.length}<small> ${esc(kinds)}</small>`],
    ['score', 'Mean score', meanScore === null ? '-' : `${Math.round(meanScore)}<small> / 100</small>`],
    [
      'depth',
      'Depth (layers holding)',
      depths.length === 0 ? '-' : `${Math.min(...depths)}<small> lowest, ${oneDecimal(mean(depths) ?? 0)} mean</small>`,
    ],
    ['gate', 'Gate', `<span class="${gate.passed ? 'passed' : 'failed'}">${gate.passed ? '\u2713 passed' : '\u2717 failed'}</span>`],
    ['targets', 'Targets', `${scan.targets.length}<small> ${failedTargets.length} in error</small>`],
    ['findings', 'Findings', `${scan.summary.fail}<small> fail, ${scan.summary.error} error, ${scan.summary.waived} waived, ${scan.summary.pass} pass</small>`],
  ];
  const reasons = gate.reasons.length
    ? `<ul class="reasons">${gate.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`
    : '';
  const errors = failedTargets.length
    ? `<p><b>Targets in error</b> (their workloads were not scanned):</p><ul class="errors" id="target-errors">${failedTargets
        .map((t) => `<li><code>${esc(t.target)}</code>: ${esc(t.error ?? 'error')}</li>`)
        .join('')}</ul>`
    : '';
  const gateSettings = `fail-on ${esc(gate.failOn)}${gate.minScore !== null ? `, min-score ${gate.minScore}` : ''}${gate.minDepth !== undefined ? `, min-depth ${gate.minDepth}` : ''}`;
  return (
    `<section id="summary"><h2>Estate summary</h2><dl class="tiles">${tiles
      .map(([k, dt, dd]) => `<div class="tile" data-tile="${k}"><dt>${dt}</dt><dd>${dd}</dd></div>`)
      .join('')}</dl>` +
    `<p class="sub">Gate: ${gateSettings}${scan.incomplete ? '; the scan is incomplete' : ''}.</p>${reasons}${errors}</section>`
  );
}

function trendSection(points: readonly EstatePoint[], since: Date | undefined): string {
  if (points.length === 0) {
    return `<section id="trend"><h2>Trend</h2><p class="no-history">No history: record scans (<code>palisade scan --record</code> or <code>palisade serve</code>) and build this report with <code>palisade report</code> to see score and depth over time.</p></section>`;
  }
  const window = since ? ` since ${esc(since.toISOString().slice(0, 10))}` : '';
  return (
    `<section id="trend"><h2>Trend</h2><figure>${trendChartSvg(points)}` +
    `<figcaption class="sub">${points.length} recorded scan${points.length === 1 ? '' : 's'}${window}; the latest has mean score ${formatScore(points[points.length - 1]?.meanScore ?? null)} and lowest depth ${points[points.length - 1]?.minDepth ?? 0}.</figcaption></figure></section>`
  );
}

function workloadTrendCell(points: readonly WorkloadTrendPoint[] | undefined): string {
  if (!points || points.length < 2) return '<td class="flat">-</td>';
  const first = points[0] as WorkloadTrendPoint;
  const last = points[points.length - 1] as WorkloadTrendPoint;
  const prev = points[points.length - 2] as WorkloadTrendPoint;
  const parts: string[] = [];
  let direction = 0;
  if (first.score !== null && last.score !== null) {
    const d = Math.round(last.score) - Math.round(first.score);
    direction += Math.sign(d);
    parts.push(`score ${formatScore(first.score)}\u2192${formatScore(last.score)}`);
  }
  const dd = last.depth.holding - first.depth.holding;
  direction += Math.sign(dd) * 2;
  parts.push(`depth ${first.depth.holding}\u2192${last.depth.holding}`);
  const lost = prev.holdingLayers.filter((l) => !last.holdingLayers.includes(l));
  if (lost.length > 0) parts.push(`lost ${lost.map((l) => LAYER_ABBREVIATIONS[l]).join(', ')} since the previous scan`);
  const cls = direction > 0 ? 'up' : direction < 0 ? 'down' : 'flat';
  const arrow = direction > 0 ? '\u25b2 ' : direction < 0 ? '\u25bc ' : '';
  return `<td class="${cls}">${arrow}${parts.join(', ')}</td>`;
}

/** Weakest first: lowest depth, then lowest score, then id. */
function compareWeakest(a: Workload, b: Workload): number {
  return (
    a.depth.holding - b.depth.holding ||
    (a.score ?? -1) - (b.score ?? -1) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function workloadsSection(scan: ScanResult, trendByIdentity: Map<string, WorkloadTrendPoint[]>): string {
  const names = new Map(scan.workloads.map((w) => [w.id, w.name]));
  const legend =
    `<div class="legend-row"><span><span class="sw hold">\u2713</span>holds</span><span><span class="sw fail">\u2717</span>fails</span>` +
    `<span><span class="sw error">!</span>not evaluated</span><span><span class="sw na">\u2013</span>not applicable</span>` +
    `<span>${LAYERS.map((l) => `${LAYER_ABBREVIATIONS[l]} ${l}`).join(' \u00b7 ')}</span></div>`;
  const rows = [...scan.workloads].sort(compareWeakest).map((w) => {
    const parent = w.parent !== undefined ? `<span class="parent">on ${esc(names.get(w.parent) ?? w.parent)}</span>` : '';
    const error = w.error !== undefined ? `<span class="werr">not scanned: ${esc(w.error)}</span>` : '';
    const effective = w.effective ? ` <small>(effective ${w.effective.depth.holding}/${w.effective.depth.applicable}, score ${formatScore(w.effective.score)})</small>` : '';
    return (
      `<tr class="workload" data-workload="${esc(w.id)}" data-identity="${esc(w.identity)}" data-holding="${w.depth.holding}">` +
      `<td><span class="kind">${w.kind}</span><span class="wname">${esc(w.name)}</span>${parent}${error}</td>` +
      `<td class="num">${formatScore(w.score)}</td>` +
      `<td class="num">${w.depth.holding}/${w.depth.applicable}${effective}</td>` +
      `<td>${layerRowSvg(w.layers, w.depth.holding, w.depth.applicable)}</td>` +
      workloadTrendCell(trendByIdentity.get(w.identity)) +
      `</tr>`
    );
  });
  return (
    `<section id="workloads"><h2>Workloads and their layers</h2>${legend}` +
    `<table><thead><tr><th>Workload</th><th>Score</th><th>Depth</th><th>Layers</th><th>Trend</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** The fix and references of a check, rendered once per report (the same for every finding of the check). */
function fixHtml(f: Finding, cache: Map<string, string>): string {
  const cached = cache.get(f.checkId);
  if (cached !== undefined) return cached;
  const refs = f.references
    .map((r) => {
      const url = referenceUrl(r);
      return url ? `<a href="${esc(url)}">${esc(referenceLabel(r))}</a>` : esc(referenceLabel(r));
    })
    .join(', ');
  const html = `<p class="fix"><b>Fix:</b> ${htmlWithCode(f.remediation)}${refs ? ` <small>(${refs})</small>` : ''}</p>`;
  cache.set(f.checkId, html);
  return html;
}

function findingItem(f: Finding, remediationShown: Set<string>, fixCache: Map<string, string>): string {
  const waiver = f.waiver
    ? `<p class="waiver"><b>Waived</b>${f.waiver.owner ? ` by ${esc(f.waiver.owner)}` : ''}${f.waiver.expires ? ` until ${esc(f.waiver.expires)}` : ''}: ${esc(f.waiver.reason)} <small>(${esc(f.waiver.source)})</small></p>`
    : '';
  const reason = f.reason !== undefined && f.status === 'error' && !f.message.includes(f.reason) ? `<p class="waiver"><b>Not evaluated:</b> ${esc(f.reason)}</p>` : '';
  // A check's fix is the same text for each of its violations on a workload: say it once per group.
  const showFix = (f.status === 'fail' || f.status === 'waived') && !remediationShown.has(f.checkId);
  if (showFix) remediationShown.add(f.checkId);
  const fix = showFix ? fixHtml(f, fixCache) : '';
  const isNew = f.baseline === 'new' ? ' <b>new</b>' : '';
  return (
    `<li class="finding status-${f.status}">` +
    `<span class="sev sev-${f.severity}">${f.severity}</span><span class="status">${f.status}${isNew}</span>` +
    `<code>${esc(f.checkId)}</code> ${esc(f.title)}<p class="msg">${esc(f.message)}</p>${reason}${waiver}${fix}</li>`
  );
}

/**
 * The findings section in pieces, for the report's one join: a workload's
 * findings joined together, its heading apart. The headings hold a dash
 * outside Latin-1; kept out of the findings, they leave those (most of a
 * large report) in V8's one-byte strings, half the memory to write.
 */
function findingsSection(scan: ScanResult): string[] {
  const byWorkload = new Map<string, Finding[]>();
  let listed = 0;
  for (const f of scan.findings) {
    if (!isListed(f, scan)) continue;
    listed++;
    let list = byWorkload.get(f.workloadId);
    if (!list) byWorkload.set(f.workloadId, (list = []));
    list.push(f);
  }
  if (listed === 0) return [`<section id="findings"><h2>Findings</h2><p>Nothing failed, errored or was waived.</p></section>`];
  const workloads = new Map(scan.workloads.map((w) => [w.id, w]));
  const open = listed <= OPEN_GROUPS_UP_TO ? ' open' : '';
  const fixCache = new Map<string, string>();
  const groups = [...byWorkload.entries()]
    .map(([id, findings]) => {
      findings.sort(compareFindings);
      const worst = Math.min(...findings.filter((f) => f.status === 'fail').map((f) => severityRank(f.severity)));
      return { id, findings, worst };
    })
    // The workload with the most severe failure first, then by id.
    .sort((a, b) => a.worst - b.worst || (a.id < b.id ? -1 : 1));
  const out = [`<section id="findings"><h2>Findings by workload</h2><p class="sub">${listed} listed, most severe first; open a workload to see each finding and its fix.</p>`];
  for (const { id, findings } of groups) {
    const w = workloads.get(id);
    const counts = FINDING_STATUSES.map((s) => [s, findings.filter((f) => f.status === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    const shown = new Set<string>();
    out.push(
      `<details class="group" data-workload="${esc(id)}" data-count="${findings.length}"${open}>` +
        `<summary><span class="kind">${w?.kind ?? 'workload'}</span><b>${esc(w?.name ?? id)}</b> \u2014 ${counts}</summary>`,
      `<ol class="findings">${findings.map((f) => findingItem(f, shown, fixCache)).join('')}</ol></details>`,
    );
  }
  out.push('</section>');
  return out;
}

/** Days from `now` to the start of the waiver's expiry date (UTC); negative once past. */
function daysLeft(expires: string, now: Date): number {
  return Math.floor((Date.parse(`${expires}T00:00:00Z`) - now.getTime()) / DAY_MS);
}

function waiversSection(waivers: readonly WaiverStatus[], now: Date, days: number): string {
  const soon = waivers
    .filter((w) => w.status === 'active' && w.expires !== undefined)
    .map((w) => ({ w, left: daysLeft(w.expires as string, now) }))
    .filter(({ left }) => left >= 0 && left <= days)
    .sort((a, b) => a.left - b.left || (a.w.check < b.w.check ? -1 : 1));
  const expired = waivers.filter((w) => w.status === 'expired');
  const row = (w: WaiverStatus, when: string) =>
    `<tr class="waiver-row" data-check="${esc(w.check)}"><td><code>${esc(w.check)}</code></td><td>${when}</td><td class="num">${w.matched}</td><td>${esc(w.owner ?? '-')}</td><td>${esc(w.reason)}</td><td><small>${esc(w.source)}</small></td></tr>`;
  const head = '<thead><tr><th>Check</th><th>Expires</th><th>Findings</th><th>Owner</th><th>Reason</th><th>Declared</th></tr></thead>';
  const soonPart = soon.length
    ? `<table id="expiring">${head}<tbody>${soon.map(({ w, left }) => row(w, `${esc(w.expires ?? '')} <small>(${left === 0 ? 'today' : `in ${left} day${left === 1 ? '' : 's'}`})</small>`)).join('')}</tbody></table>`
    : `<p id="expiring-none">No active waiver expires within ${days} days.</p>`;
  const expiredPart = expired.length
    ? `<h3>Expired (no longer applied: their findings count again)</h3><table id="expired">${head}<tbody>${expired.map((w) => row(w, esc(w.expires ?? ''))).join('')}</tbody></table>`
    : '';
  return `<section id="waivers"><h2>Waivers expiring within ${days} days</h2>${soonPart}${expiredPart}</section>`;
}

function targetsSection(scan: ScanResult): string {
  const rows = scan.targets.map(
    (t) =>
      `<tr data-status="${t.status}"><td><code>${esc(t.target)}</code></td><td>${t.kind}</td><td class="${t.status === 'ok' ? 'passed' : 'failed'}">${t.status === 'ok' ? '\u2713 ok' : '\u2717 error'}</td><td class="num">${t.workloads}</td><td class="num">${(t.durationMs / 1000).toFixed(1)} s</td><td>${esc(t.error ?? '')}</td></tr>`,
  );
  return `<section id="targets"><h2>Targets</h2><table><thead><tr><th>Target</th><th>Kind</th><th>Status</th><th>Workloads</th><th>Time</th><th>Error</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/**
 * The HTML report of a scan, redacted first (redactScan): `palisade report`
 * renders scans read back from the history store or a file with it.
 */
export function renderHtmlReport(scan: ScanResult, options: HtmlReportOptions = {}): string {
  return htmlPage(redactScan(scan), options);
}

/** The page of a scan already redacted. */
function htmlPage(scan: ScanResult, options: HtmlReportOptions): string {
  const now = options.now ?? new Date(scan.finishedAt);
  const days = options.expiryDays ?? DEFAULT_EXPIRY_DAYS;
  const trendByIdentity = new Map<string, WorkloadTrendPoint[]>();
  for (const p of options.trend ?? []) {
    let list = trendByIdentity.get(p.identity);
    if (!list) trendByIdentity.set(p.identity, (list = []));
    list.push(p);
  }
  for (const list of trendByIdentity.values()) list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const title = `palisade report: ${scan.policy.name}, ${scan.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  return [
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
      `<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">` +
      `<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${esc(title)}</title><style>${HTML_STYLE}</style></head><body>` +
      `<header><h1>palisade: defence in depth</h1><p class="sub">Policy <b>${esc(scan.policy.name)}</b> \u00b7 scan ${esc(scan.startedAt)} to ${esc(scan.finishedAt)} \u00b7 palisade ${esc(scan.tool.version)}</p></header>` +
      `<main>${summarySection(scan)}${trendSection(estatePoints(options.trend ?? []), options.since)}${workloadsSection(scan, trendByIdentity)}`,
    ...findingsSection(scan),
    `${waiversSection(scan.waivers, now, days)}${targetsSection(scan)}</main>` +
      `<footer>Generated by palisade ${esc(scan.tool.version)}. This file loads nothing: no scripts, fonts or images from anywhere.</footer>` +
      `</body></html>\n`,
  ].join('');
}

/** `--format html`: the scan alone, without history (the report command adds the trend); the registry and the loader redact it. */
export const htmlReporter: Reporter = (scan) => htmlPage(scan, {});

// A Markdown summary for a pull-request comment or a CI step summary: the
// gate verdict, scores per workload, the worst findings with their fix, and
// waivers about to expire. Names, messages and reasons come from scanned
// targets and policies, so every one is escaped: none can add a link, a
// mention, HTML or a table cell.
import { escapeControls, markdownEscape, markdownText, oneLine, truncate } from '../lib/sanitize.js';
import type { Finding, ScanResult, Workload } from '../model/report.js';
import { compareFindings, compareWorkloads, formatScore, severityRank, worstFailure } from './format.js';
import type { Reporter } from './index.js';

/** GitHub rejects a comment body over 65,536 characters. */
export const MARKDOWN_LIMIT = 65_536;
export const MAX_WORST_FINDINGS = 20;
export const EXPIRY_WINDOW_DAYS = 30;
/** Room kept for the truncation note and rounding when sizing the rows. */
const NOTE_RESERVE = 500;
const MAX_REASONS = 10;
const MAX_UNSCANNED = 10;
const MAX_WAIVER_WORKLOADS = 5;
const DAY_MS = 86_400_000;

/** Longest text, in characters, of each kind of value before escaping. */
const CAP = { name: 120, message: 400, remediation: 600, reason: 300, location: 160 } as const;

/** Inline Markdown that renders as the text it was given (see `markdownText`), cut to `max` characters. */
export function escapeMarkdown(value: string, max = Number.POSITIVE_INFINITY): string {
  return markdownText(value, max);
}

/**
 * Text written by palisade's own check metadata (a remediation), whose
 * `code spans` stay code spans so a command can be copied as it is; the text
 * between them is escaped as any other. Not for table cells: a pipe in a code
 * span would still end the cell.
 */
export function markdownWithCode(value: string, max = Number.POSITIVE_INFINITY): string {
  return truncate(escapeControls(oneLine(value)), max)
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? part : markdownEscape(part)))
    .join('');
}

function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function workloadLabel(w: Workload | undefined, workloadId: string): string {
  return w ? `${w.kind} ${escapeMarkdown(w.name, CAP.name)}` : escapeMarkdown(workloadId, CAP.name);
}

function gateSettings(scan: ScanResult): string {
  const gate = scan.gate;
  return `fail-on ${gate.failOn}${gate.minScore !== null ? `, min-score ${gate.minScore}` : ''}`;
}

function durationText(scan: ScanResult): string {
  const ms = Date.parse(scan.finishedAt) - Date.parse(scan.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? ` in ${ms}ms` : ` in ${(ms / 1000).toFixed(1)}s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function header(scan: ScanResult): string[] {
  const lines = [`### Gate: ${scan.gate.passed ? 'PASSED' : 'FAILED'} (${gateSettings(scan)})`, ''];
  lines.push(
    `palisade ${escapeMarkdown(scan.tool.version, CAP.name)}, policy ${escapeMarkdown(scan.policy.name, CAP.name)} ` +
      `(${escapeMarkdown(scan.policy.source, CAP.location)}): ${plural(scan.workloads.length, 'workload')} ` +
      `on ${plural(scan.targets.length, 'target')}, finished ${escapeMarkdown(scan.finishedAt, CAP.name)}${durationText(scan)}.`,
  );
  const reasons = scan.gate.reasons;
  if (reasons.length > 0) {
    lines.push('');
    for (const r of reasons.slice(0, MAX_REASONS)) lines.push(`- ${escapeMarkdown(r, CAP.reason)}`);
    if (reasons.length > MAX_REASONS) lines.push(`- and ${reasons.length - MAX_REASONS} more`);
  }
  if (scan.incomplete) {
    const missed = [
      ...scan.targets.filter((t) => t.status === 'error').map((t) => `target ${escapeMarkdown(t.target, CAP.name)}`),
      ...[...scan.workloads].sort(compareWorkloads).filter((w) => w.error !== undefined).map((w) => workloadLabel(w, w.id)),
    ];
    const shown = missed.slice(0, MAX_UNSCANNED).join(', ');
    const more = missed.length > MAX_UNSCANNED ? ` and ${missed.length - MAX_UNSCANNED} more` : '';
    lines.push('', missed.length > 0 ? `**Scan incomplete:** could not scan ${shown}${more}.` : '**Scan incomplete.**');
  }
  const b = scan.baseline;
  if (b) {
    lines.push(
      '',
      `**Since baseline** ${escapeMarkdown(b.source, CAP.location)}: ${b.new} new, ${b.fixed.length} fixed, ${b.unchanged} unchanged` +
        (b.notEvaluated.length > 0 ? `, ${b.notEvaluated.length} not evaluated now` : '') +
        '.',
    );
  }
  return lines;
}

interface Section {
  title: string;
  /** Lines before the rows (a table header). */
  head: string[];
  rows: string[];
  /** Shown instead of head and rows when there are no rows at all. */
  empty: string;
  /** Rows the section left out before any truncation (the 20 worst findings of more). */
  omitted: number;
  /** What a note says was left out: `3 more <noun> not shown`. */
  noun: string;
}

function render(section: Section, shown: number): string[] {
  const lines = [`#### ${section.title}`, ''];
  if (section.rows.length === 0 && section.omitted === 0) return [...lines, section.empty, ''];
  lines.push(...section.head, ...section.rows.slice(0, shown));
  const hidden = section.rows.length - shown + section.omitted;
  if (hidden > 0) lines.push('', `${hidden} more ${section.noun} not shown.`);
  return [...lines, ''];
}

/** Each workload's most severe failing finding, found once (the sort below compares workloads many times). */
function worstFailures(scan: ScanResult, byWorkload: Map<string, Finding[]>): Map<string, Finding | undefined> {
  return new Map(scan.workloads.map((w) => [w.id, worstFailure(byWorkload.get(w.id) ?? [])]));
}

/** Workloads with the most severe failure first, then those not scanned, then the rest by score. */
function workloadOrder(scan: ScanResult, worstOf: Map<string, Finding | undefined>): Workload[] {
  const rank = (w: Workload): number => {
    const worst = worstOf.get(w.id);
    if (worst) return severityRank(worst.severity);
    return w.error !== undefined ? 10 : 20;
  };
  const score = (w: Workload): number => (w.score === null ? Number.POSITIVE_INFINITY : w.score);
  return [...scan.workloads].sort((a, b) => rank(a) - rank(b) || score(a) - score(b) || compareWorkloads(a, b));
}

function workloadsSection(scan: ScanResult, byWorkload: Map<string, Finding[]>): Section {
  const worstOf = worstFailures(scan, byWorkload);
  const rows = workloadOrder(scan, worstOf).map((w) => {
    const worst = worstOf.get(w.id);
    const worstText = worst
      ? `${worst.severity} ${escapeMarkdown(worst.checkId, CAP.name)}`
      : w.error !== undefined
        ? `not scanned: ${escapeMarkdown(w.error, CAP.reason)}`
        : '-';
    return tableRow([w.kind, escapeMarkdown(w.name, CAP.name), formatScore(w.score), `${w.depth.holding}/${w.depth.applicable}`, worstText]);
  });
  return {
    title: 'Workloads',
    head: [tableRow(['Kind', 'Name', 'Score', 'Depth (holding/applicable)', 'Worst finding']), '| --- | --- | ---: | ---: | --- |'],
    rows,
    empty: 'No workloads were scanned.',
    omitted: 0,
    noun: 'workloads',
  };
}

function worstSection(scan: ScanResult, workloads: Map<string, Workload>): Section {
  const failing = scan.findings
    .filter((f) => f.status === 'fail')
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || compareFindings(a, b));
  const rows = failing.slice(0, MAX_WORST_FINDINGS).map((f, i) => {
    const w = workloads.get(f.workloadId);
    const where = f.location ?? w?.location;
    const at = where && !where.synthetic ? ` (${escapeMarkdown(`${where.uri}:${where.startLine}`, CAP.location)})` : '';
    const key = f.key !== undefined ? ` [${escapeMarkdown(f.key, CAP.name)}]` : '';
    return (
      `${i + 1}. **${f.severity}** ${escapeMarkdown(f.checkId, CAP.name)}${key} on ${workloadLabel(w, f.workloadId)}${at}: ` +
      `${escapeMarkdown(f.message, CAP.message)}<br>Fix: ${markdownWithCode(f.remediation, CAP.remediation)}`
    );
  });
  return {
    title: 'Worst findings',
    head: [],
    rows,
    empty: 'No failing findings.',
    omitted: Math.max(0, failing.length - MAX_WORST_FINDINGS),
    noun: 'failing findings',
  };
}

/** Whole days from the scan's UTC date to the expiry date; a waiver applies through its expiry day. */
function daysLeft(expires: string, finishedAt: string): number | undefined {
  const end = Date.parse(`${expires}T00:00:00Z`);
  const finished = Date.parse(finishedAt);
  if (Number.isNaN(end) || Number.isNaN(finished)) return undefined;
  const today = Date.parse(`${new Date(finished).toISOString().slice(0, 10)}T00:00:00Z`);
  return Math.round((end - today) / DAY_MS);
}

function dueText(days: number): string {
  if (days === 0) return 'today';
  if (days > 0) return `in ${plural(days, 'day')}`;
  return `${plural(-days, 'day')} ago`;
}

function waiversSection(scan: ScanResult, workloads: Map<string, Workload>): Section {
  interface Group {
    expires: string;
    days: number;
    owner: string;
    checkId: string;
    source: string;
    reason: string;
    findings: Finding[];
  }
  const groups = new Map<string, Group>();
  for (const f of scan.findings) {
    const w = f.waiver;
    if (f.status !== 'waived' || w?.expires === undefined) continue;
    const days = daysLeft(w.expires, scan.finishedAt);
    if (days === undefined || days > EXPIRY_WINDOW_DAYS) continue;
    const owner = w.owner ?? '';
    const id = JSON.stringify([w.expires, w.source, f.checkId, owner, w.reason]);
    const group = groups.get(id) ?? { expires: w.expires, days, owner, checkId: f.checkId, source: w.source, reason: w.reason, findings: [] };
    group.findings.push(f);
    groups.set(id, group);
  }
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...groups.values()].sort(
    (a, b) => a.days - b.days || text(a.source, b.source) || text(a.checkId, b.checkId) || text(a.owner, b.owner) || text(a.reason, b.reason),
  );
  const rows = sorted.map((g) => {
    const labels = [...g.findings].sort(compareFindings).map((f) => {
      const key = f.key !== undefined ? ` [${escapeMarkdown(f.key, CAP.name)}]` : '';
      return `${workloadLabel(workloads.get(f.workloadId), f.workloadId)}${key}`;
    });
    const more = labels.length > MAX_WAIVER_WORKLOADS ? `, and ${labels.length - MAX_WAIVER_WORKLOADS} more` : '';
    return tableRow([
      `${escapeMarkdown(g.expires, CAP.name)} (${dueText(g.days)})`,
      g.owner === '' ? '-' : escapeMarkdown(g.owner, CAP.name),
      escapeMarkdown(g.checkId, CAP.name),
      `${labels.slice(0, MAX_WAIVER_WORKLOADS).join(', ')}${more}`,
      escapeMarkdown(g.source, CAP.location),
      escapeMarkdown(g.reason, CAP.reason),
    ]);
  });
  return {
    title: `Waivers expiring within ${EXPIRY_WINDOW_DAYS} days`,
    head: [tableRow(['Expires', 'Owner', 'Check', 'Waived on', 'Declared at', 'Reason']), '| --- | --- | --- | --- | --- | --- |'],
    rows,
    empty: `No waiver expires within ${EXPIRY_WINDOW_DAYS} days of this scan.`,
    omitted: 0,
    noun: 'waivers',
  };
}

function counts(scan: ScanResult): string[] {
  const s = scan.summary;
  return [
    '#### Counts',
    '',
    tableRow(['fail', 'error', 'waived', 'not-applicable', 'pass']),
    '| ---: | ---: | ---: | ---: | ---: |',
    tableRow([s.fail, s.error, s.waived, s['not-applicable'], s.pass].map((n) => String(n ?? 0))),
  ];
}

function size(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}

/** How many of `rows` fit in `budget` characters, one line each. */
function fit(rows: readonly string[], budget: number): number {
  let used = 0;
  let n = 0;
  for (const row of rows) {
    if (used + row.length + 1 > budget) break;
    used += row.length + 1;
    n++;
  }
  return n;
}

export const markdownReporter: Reporter = (scan) => {
  const byWorkload = new Map<string, Finding[]>();
  for (const f of scan.findings) {
    const list = byWorkload.get(f.workloadId) ?? [];
    list.push(f);
    byWorkload.set(f.workloadId, list);
  }
  const workloads = new Map(scan.workloads.map((w) => [w.id, w]));
  const top = header(scan);
  const bottom = counts(scan);
  const sections = { workloads: workloadsSection(scan, byWorkload), worst: worstSection(scan, workloads), waivers: waiversSection(scan, workloads) };
  const display = [sections.workloads, sections.worst, sections.waivers];

  // Everything but the rows (with each section's note that rows are left out); the rows then
  // share what is left, the worst findings first.
  const skeleton = [...top, '', ...display.flatMap((s) => render(s, 0)), ...bottom];
  let budget = MARKDOWN_LIMIT - size(skeleton) - NOTE_RESERVE;
  const shown = new Map<Section, number>();
  for (const section of [sections.worst, sections.waivers, sections.workloads]) {
    const n = fit(section.rows, Math.max(0, budget));
    shown.set(section, n);
    budget -= size(section.rows.slice(0, n));
  }
  const truncated = display.some((s) => (shown.get(s) ?? 0) < s.rows.length);

  const lines = [...top, ''];
  for (const s of display) lines.push(...render(s, shown.get(s) ?? 0));
  lines.push(...bottom);
  if (truncated) {
    lines.push(
      '',
      `_Shortened to stay under GitHub's ${MARKDOWN_LIMIT.toLocaleString('en-US')}-character comment limit; the JSON report (\`--format json\`) lists everything._`,
    );
  }
  return `${lines.join('\n')}\n`;
};

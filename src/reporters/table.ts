// The terminal report: a summary line per workload, the findings grouped by
// workload with their remediation, and a footer with the gate verdict.
import { terminalText } from '../lib/sanitize.js';
import type { Severity } from '../model/check.js';
import type { Finding, ScanResult, Workload } from '../model/report.js';
import {
  compareFindings,
  compareWorkloads,
  formatCounts,
  formatScore,
  isListed,
  statusRank,
  worstFailure,
} from './format.js';
import type { Reporter } from './index.js';
import { TextBuilder } from './text-builder.js';

const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 60;
/** Column where a finding's message, remediation and waiver text start. */
const TEXT_INDENT = 12;

type Style = 'bold' | 'dim' | 'red' | 'boldRed' | 'yellow' | 'cyan' | 'green' | 'boldGreen' | 'magenta';

const SGR: Record<Style, string> = {
  bold: '1',
  dim: '2',
  red: '31',
  boldRed: '1;31',
  yellow: '33',
  cyan: '36',
  green: '32',
  boldGreen: '1;32',
  magenta: '35',
};

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: 'boldRed',
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'dim',
};

type Paint = (text: string, style: Style) => string;

function painter(color: boolean): Paint {
  return color ? (text, style) => (text === '' ? text : `\u001b[${SGR[style]}m${text}\u001b[0m`) : (text) => text;
}

/** Longest value, in characters, shown of any one piece of text before it is cut with a marker. */
const VALUE_CAP = 600;

/**
 * Names, labels, messages and errors come from the scanned targets and the
 * policy; control characters in them are shown as visible escapes, never
 * reach the terminal, and long ones are cut with a marker.
 */
function clean(text: string): string {
  return terminalText(text, VALUE_CAP);
}

function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 3 ? text.slice(0, width) : `${text.slice(0, width - 3)}...`;
}

/** Greedy word wrap to `firstWidth` columns on the first line and `width` after; longer words are split. */
function wrap(text: string, width: number, firstWidth: number = width): string[] {
  // Most texts fit on their first line as they are (no space to collapse): the answer without splitting.
  if (text.length <= Math.max(20, firstWidth) && !text.includes('  ') && !text.startsWith(' ') && !text.endsWith(' ')) return [text];
  const lines: string[] = [];
  let line = '';
  const limit = (): number => Math.max(20, lines.length === 0 ? firstWidth : width);
  for (let word of text.split(' ').filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > limit()) {
      lines.push(line);
      line = '';
    }
    while (line === '' && word.length > limit()) {
      const cut = limit();
      lines.push(word.slice(0, cut));
      word = word.slice(cut);
    }
    line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** `prefix` (plain width `prefixWidth`) then `text`, continuation lines indented to `indent`. */
function hanging(
  prefix: string,
  prefixWidth: number,
  text: string,
  indent: number,
  width: number,
  paintText: (s: string) => string = (s) => s,
): string[] {
  const pad = ' '.repeat(indent);
  // Too little room after the prefix: the text starts on the next line.
  if (width - prefixWidth < 20) return [prefix.trimEnd(), ...wrap(text, width - indent).map((l) => `${pad}${paintText(l)}`)];
  const [head = '', ...rest] = wrap(text, width - indent, width - prefixWidth);
  return [`${prefix}${paintText(head)}`, ...rest.map((l) => `${pad}${paintText(l)}`)];
}

function durationText(scan: ScanResult): string {
  const ms = Date.parse(scan.finishedAt) - Date.parse(scan.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? ` in ${ms}ms` : ` in ${(ms / 1000).toFixed(1)}s`;
}

/** Engines first, each followed by its containers; workloads whose parent is not in the report last. */
function summaryOrder(workloads: readonly Workload[]): { workload: Workload; depth: number }[] {
  const sorted = [...workloads].sort(compareWorkloads);
  const ids = new Set(sorted.map((w) => w.id));
  const children = new Map<string, Workload[]>();
  const roots: Workload[] = [];
  for (const w of sorted) {
    if (w.parent !== undefined && ids.has(w.parent) && w.parent !== w.id) {
      const list = children.get(w.parent) ?? [];
      list.push(w);
      children.set(w.parent, list);
    } else roots.push(w);
  }
  roots.sort((a, b) => (a.kind === b.kind ? compareWorkloads(a, b) : a.kind === 'engine' ? -1 : 1));
  const out: { workload: Workload; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (w: Workload, depth: number): void => {
    if (seen.has(w.id)) return;
    seen.add(w.id);
    out.push({ workload: w, depth });
    for (const c of children.get(w.id) ?? []) visit(c, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  // A parent cycle leaves workloads unvisited; never drop one.
  for (const w of sorted) visit(w, 0);
  return out;
}

function summaryBlock(scan: ScanResult, byWorkload: Map<string, Finding[]>, width: number, paint: Paint): string[] {
  const rows = summaryOrder(scan.workloads);
  const labels = rows.map(({ workload, depth }) => clean(`${'  '.repeat(depth)}${workload.kind.padEnd(10)}${workload.name}`));
  // Columns: label, 2 spaces, score (5), 2 spaces, depth (7), 2 spaces, effective depth (9), 2 spaces, worst failure (at least 16).
  const fixed = 2 + 5 + 2 + 7 + 2 + 9 + 2;
  const labelWidth = Math.max(16, Math.min(Math.max(24, ...labels.map((l) => l.length)), 48, width - fixed - 16));
  const worstWidth = width - labelWidth - fixed;
  const header = `${'WORKLOAD'.padEnd(labelWidth)}  ${'SCORE'.padStart(5)}  ${'DEPTH'.padStart(7)}  ${'EFFECTIVE'.padStart(9)}  WORST FAILURE`;
  const lines = [paint(header, 'bold')];
  rows.forEach(({ workload }, i) => {
    const label = truncate(labels[i] ?? '', labelWidth).padEnd(labelWidth);
    const score = formatScore(workload.score).padStart(5);
    const depth = `${workload.depth.holding}/${workload.depth.applicable}`.padStart(7);
    const eff = workload.effective;
    const effective = (eff ? `${eff.depth.holding}/${eff.depth.applicable}` : '-').padStart(9);
    const worst = worstFailure(byWorkload.get(workload.id) ?? []);
    let last: string;
    if (worst) {
      const text = truncate(`${worst.severity} ${clean(worst.checkId)}`, worstWidth);
      last = paint(text, SEVERITY_STYLE[worst.severity]);
    } else if (workload.error !== undefined) {
      last = paint(truncate(`error: ${clean(workload.error)}`, worstWidth), 'magenta');
    } else last = '-';
    lines.push(`${label}  ${score}  ${depth}  ${effective}  ${last}`);
  });
  return lines;
}

function tag(f: Finding): { text: string; style: Style } {
  switch (f.status) {
    case 'fail':
      return { text: f.severity.toUpperCase(), style: SEVERITY_STYLE[f.severity] };
    case 'error':
      return { text: 'ERROR', style: 'magenta' };
    case 'waived':
      return { text: 'WAIVED', style: 'dim' };
    case 'not-applicable':
      return { text: 'N/A', style: 'dim' };
    case 'pass':
      return { text: 'PASS', style: 'green' };
  }
}

function waiverText(f: Finding): string {
  const w = f.waiver;
  if (!w) return 'waived';
  const who = w.owner !== undefined ? ` by ${w.owner}` : '';
  const until = w.expires !== undefined ? ` until ${w.expires}` : '';
  return `waived${who}${until}: ${w.reason} (${w.source})`;
}

/** Lines already laid out for a text (a check's remediation is the same for each of its findings). */
type LayoutCache = Map<string, string[]>;

function findingLines(f: Finding, width: number, paint: Paint, fixes: LayoutCache): string[] {
  const t = tag(f);
  const lead = `  ${paint(t.text.padEnd(TEXT_INDENT - 3), t.style)} `;
  const pad = ' '.repeat(TEXT_INDENT);
  const head = `${clean(f.checkId)}${f.status === 'fail' ? '' : ` (${f.severity})`}${f.baseline === 'new' ? ' [new]' : ''}`;
  const message = clean(f.message);
  const lines: string[] = [];
  // The check id and the message share the first line when a useful part of the message fits.
  const sameLine = TEXT_INDENT + head.length + 2 + Math.min(message.length, 30) <= width;
  if (sameLine) {
    const prefixWidth = TEXT_INDENT + head.length + 2;
    lines.push(...hanging(`${lead}${paint(head, 'bold')}  `, prefixWidth, message, TEXT_INDENT, width));
  } else {
    lines.push(`${lead}${paint(head, 'bold')}`, ...wrap(message, width - TEXT_INDENT).map((l) => `${pad}${l}`));
  }
  const dim = (s: string): string => paint(s, 'dim');
  if (f.location && !f.location.synthetic && (f.status === 'fail' || f.status === 'waived')) {
    lines.push(...hanging(`${pad}at: `, TEXT_INDENT + 4, clean(`${f.location.uri}:${f.location.startLine}`), TEXT_INDENT, width, dim));
  }
  if (f.status === 'fail') {
    let fix = fixes.get(f.remediation);
    if (fix === undefined) fixes.set(f.remediation, (fix = hanging(`${pad}fix: `, TEXT_INDENT + 5, clean(f.remediation), TEXT_INDENT, width)));
    lines.push(...fix);
  } else if (f.status === 'waived') {
    lines.push(...hanging(pad, TEXT_INDENT, clean(waiverText(f)), TEXT_INDENT, width, dim));
  } else if (f.status === 'not-applicable' && f.reason !== undefined && f.reason !== f.message) {
    lines.push(...hanging(pad, TEXT_INDENT, clean(f.reason), TEXT_INDENT, width, dim));
  }
  return lines;
}

function workloadHeading(w: Workload, width: number, paint: Paint): string[] {
  const details = [
    w.image !== undefined ? `image ${w.image}` : undefined,
    w.location.synthetic ? undefined : `at ${w.location.uri}:${w.location.startLine}`,
  ]
    .filter((s): s is string => s !== undefined)
    .map(clean)
    .join(' ');
  const name = truncate(clean(`${w.kind} ${w.name}`), width);
  if (details === '') return [paint(name, 'bold')];
  return hanging(`${paint(name, 'bold')}  `, name.length + 2, details, 2, width, (s) => paint(s, 'dim'));
}

/** Where lines go: the findings block is too long to be collected as one array first. */
type Emit = (...lines: string[]) => void;

function findingsBlock(scan: ScanResult, byWorkload: Map<string, Finding[]>, width: number, paint: Paint, emit: Emit): void {
  const fixes: LayoutCache = new Map();
  let empty = true;
  for (const { workload } of summaryOrder(scan.workloads)) {
    const all = byWorkload.get(workload.id) ?? [];
    // One line for a workload that could not be scanned instead of one per check.
    const notEvaluated = workload.error !== undefined ? all.filter((f) => f.status === 'error' && f.reason === workload.error) : [];
    const listed = all
      .filter((f) => isListed(f, scan) && !notEvaluated.includes(f))
      .sort((a, b) => statusRank(a.status) - statusRank(b.status) || compareFindings(a, b));
    if (listed.length === 0 && workload.error === undefined) continue;
    empty = false;
    emit('', ...workloadHeading(workload, width, paint));
    if (workload.error !== undefined) {
      const lead = `  ${paint('ERROR'.padEnd(TEXT_INDENT - 3), 'magenta')} `;
      emit(...hanging(lead, TEXT_INDENT, `not scanned: ${clean(workload.error)}`, TEXT_INDENT, width));
      if (notEvaluated.length > 0) {
        emit(`${' '.repeat(TEXT_INDENT)}${notEvaluated.length} check${notEvaluated.length === 1 ? '' : 's'} not evaluated`);
      }
    }
    for (const f of listed) emit(...findingLines(f, width, paint, fixes));
  }
  // Findings of workloads missing from the report are still shown.
  const known = new Set(scan.workloads.map((w) => w.id));
  const orphans = [...byWorkload.entries()]
    .filter(([id]) => !known.has(id))
    .flatMap(([, fs]) => fs.filter((f) => isListed(f, scan)))
    .sort(compareFindings);
  if (orphans.length > 0) {
    empty = false;
    emit('', paint('other findings', 'bold'));
    for (const f of orphans) emit(...findingLines(f, width, paint, fixes), `${' '.repeat(TEXT_INDENT)}workload ${clean(f.workloadId)}`);
  }
  if (empty) emit('', scan.options.includePassed ? 'No findings.' : 'No failing, waived or error findings.');
}

function targetLines(scan: ScanResult, width: number, paint: Paint): string[] {
  return scan.targets.flatMap((t) => {
    const prefix = truncate(`target ${clean(t.target)}`, width - 10);
    const state = t.status === 'ok' ? 'ok' : 'error';
    const detail = t.status === 'ok' ? `${t.workloads} workload${t.workloads === 1 ? '' : 's'}` : clean(t.error ?? 'unknown error');
    const lead = `${prefix}  ${paint(state, t.status === 'ok' ? 'green' : 'magenta')}  `;
    return hanging(lead, prefix.length + state.length + 4, detail, 2, width);
  });
}

function footer(scan: ScanResult, width: number, paint: Paint): string[] {
  const lines: string[] = [];
  if (scan.incomplete) {
    const missed = [
      ...scan.targets.filter((t) => t.status === 'error').map((t) => `target ${clean(t.target)}`),
      ...[...scan.workloads].sort(compareWorkloads).filter((w) => w.error !== undefined).map((w) => clean(`${w.kind} ${w.name}`)),
    ];
    const text = missed.length > 0 ? `Scan incomplete: could not scan ${missed.join(', ')}.` : 'Scan incomplete.';
    lines.push(...wrap(text, width - 2, width).map((l, i) => paint(i === 0 ? l : `  ${l}`, 'magenta')));
  }
  const b = scan.baseline;
  if (b) {
    const notEvaluated = b.notEvaluated.length > 0 ? `, ${b.notEvaluated.length} not evaluated now` : '';
    lines.push(...wrap(clean(`Since baseline ${b.source}: ${b.new} new, ${b.fixed.length} fixed, ${b.unchanged} unchanged${notEvaluated}.`), width - 2, width));
    for (const f of b.fixed.slice(0, 20)) lines.push(...hanging('  fixed: ', 9, clean(`${f.checkId} ${f.key ?? ''} on ${f.workloadId}`), 9, width));
    if (b.fixed.length > 20) lines.push(`  ... and ${b.fixed.length - 20} more fixed`);
  }
  for (const w of scan.waivers ?? []) {
    if (w.status === 'active') continue;
    const what = w.status === 'expired' ? `expired on ${w.expires}, no longer applies` : 'matched nothing; remove it';
    lines.push(...hanging('', 0, clean(`Waiver ${w.check} (${w.source}) ${what}.`), 2, width).map((l) => paint(l, 'yellow')));
  }
  const gate = scan.gate;
  const verdict = gate.passed ? paint('PASSED', 'boldGreen') : paint('FAILED', 'boldRed');
  const settings = `fail-on ${gate.failOn}${gate.minScore !== null ? `, min-score ${gate.minScore}` : ''}`;
  const counts = formatCounts(scan.summary);
  const verdictText = `gate ${gate.passed ? 'PASSED' : 'FAILED'} (${settings})`;
  if (counts.length + 3 + verdictText.length <= width) lines.push(`${counts} | gate ${verdict} (${settings})`);
  else lines.push(counts, `gate ${verdict} (${settings})`);
  for (const reason of gate.reasons) lines.push(...hanging('  - ', 4, clean(reason), 4, width));
  return lines;
}

export const tableReporter: Reporter = (scan, options) => {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH));
  const paint = painter(options.color);
  const byWorkload = new Map<string, Finding[]>();
  for (const f of scan.findings) {
    const list = byWorkload.get(f.workloadId) ?? [];
    list.push(f);
    byWorkload.set(f.workloadId, list);
  }
  const title = clean(`palisade ${scan.tool.version}  policy ${scan.policy.name} (${scan.policy.source})  ${scan.startedAt}${durationText(scan)}`);
  const text = new TextBuilder('\n');
  // No line ends in white space (trimEnd strips what /\s+$/ matches).
  const emit: Emit = (...lines) => {
    for (const l of lines) text.add(l.trimEnd());
  };
  emit(paint(truncate(title, width), 'bold'), ...targetLines(scan, width, paint), '', ...summaryBlock(scan, byWorkload, width, paint));
  findingsBlock(scan, byWorkload, width, paint, emit);
  // The last, empty, line ends the text with a line break.
  emit('', ...footer(scan, width, paint), '');
  return text.toString();
};

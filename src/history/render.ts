// Text renderings of history listings and diffs (table, markdown); JSON is the data itself.
import type { ScanDiff, ScanSummary, WorkloadTrendPoint, DiffFinding, WorkloadRegression } from './types.js';

const BARS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly (number | null)[], max: number): string {
  return values.map((v) => (v === null ? '·' : BARS[Math.min(BARS.length - 1, Math.max(0, Math.round((v / (max || 1)) * (BARS.length - 1))))])).join('');
}

function pad(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - [...c].length))).join('  ').trimEnd()).join('\n') + '\n';
}

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`;
const num = (v: number | null) => (v === null ? '-' : String(Math.round(v * 10) / 10));

export interface WorkloadTrend {
  identity: string;
  kind: string;
  name: string;
  points: WorkloadTrendPoint[];
}

export function groupTrend(points: readonly WorkloadTrendPoint[]): WorkloadTrend[] {
  const out = new Map<string, WorkloadTrend>();
  for (const p of points) {
    let t = out.get(p.identity);
    if (!t) out.set(p.identity, (t = { identity: p.identity, kind: p.kind, name: p.name, points: [] }));
    t.name = p.name;
    t.points.push(p);
  }
  return [...out.values()];
}

function change(from: number | null | undefined, to: number | null | undefined): string {
  if (from === undefined || to === undefined) return '';
  if (from === null || to === null || from === to) return '';
  return to < from ? ' ▼' : ' ▲';
}

export function historyTable(description: string, scans: readonly ScanSummary[], trends: readonly WorkloadTrend[], scope: string | undefined): string {
  let out = `Scans in ${description}, newest first${scope ? ` (scope ${scope})` : ''}:\n\n`;
  if (scans.length === 0) return `${out}  (none recorded yet: palisade scan --record)\n`;
  out += pad([
    ['ID', 'STARTED', 'COMMAND', 'SCOPE', 'WORKLOADS', 'FAIL', 'ERROR', 'MEAN SCORE', 'MIN DEPTH', 'GATE'],
    ...scans.map((s) => [
      s.id.slice(0, 8),
      when(s.startedAt),
      s.shard ? `${s.command} ${s.shard.index}/${s.shard.count}` : s.command,
      s.scope,
      String(s.workloads),
      String(s.summary.fail),
      String(s.summary.error + s.targets.errors),
      num(s.meanScore),
      s.minDepth === null ? '-' : String(s.minDepth),
      s.gatePassed ? 'pass' : 'fail',
    ]),
  ]);
  if (trends.length === 0) return out;
  out += `\nWorkloads (oldest → newest over these scans; followed by identity across re-created containers):\n\n`;
  out += pad([
    ['WORKLOAD', 'KIND', 'SCORE', 'TREND', 'DEPTH', 'TREND', 'EFFECTIVE'],
    ...trends.map((t) => {
      const first = t.points[0];
      const last = t.points.at(-1);
      const scores = t.points.map((p) => p.score);
      const depths = t.points.map((p) => p.depth.holding);
      const eff = last?.effective ? `${num(last.effective.score)} / ${last.effective.depth.holding} of ${last.effective.depth.applicable}` : '-';
      return [
        t.name,
        t.kind,
        `${num(first?.score ?? null)} → ${num(last?.score ?? null)}${change(first?.score, last?.score)}`,
        sparkline(scores, 100),
        `${first?.depth.holding ?? '-'} → ${last?.depth.holding ?? '-'} of ${last?.depth.applicable ?? '-'}${change(first?.depth.holding, last?.depth.holding)}`,
        sparkline(depths, Math.max(1, ...t.points.map((p) => p.depth.applicable))),
        eff,
      ];
    }),
  ]);
  return out;
}

function findingLine(f: DiffFinding): string {
  return `${f.severity.padEnd(8)} ${f.checkId}  ${f.workload.name}: ${f.message}`;
}

function regressionLine(r: WorkloadRegression): string {
  const parts: string[] = [];
  if (r.score) parts.push(`score ${num(r.score.from)} → ${num(r.score.to)}`);
  if (r.depth) parts.push(`depth ${r.depth.from} → ${r.depth.to}`);
  if (r.effectiveScore) parts.push(`effective score ${num(r.effectiveScore.from)} → ${num(r.effectiveScore.to)}`);
  if (r.effectiveDepth) parts.push(`effective depth ${r.effectiveDepth.from} → ${r.effectiveDepth.to}`);
  return `${r.kind} ${r.name}: ${parts.join(', ')}`;
}

interface Section {
  title: string;
  lines: string[];
}

function sections(d: ScanDiff): Section[] {
  return [
    { title: 'New failing findings', lines: d.new.map(findingLine) },
    { title: 'Workloads that regressed', lines: d.regressed.map(regressionLine) },
    { title: 'Layers lost', lines: d.layersLost.map((l) => `${l.kind} ${l.name}: ${l.lost.join(', ')} no longer hold`) },
    { title: 'Waivers expired', lines: d.waiversExpired.map((w) => `${w.check} (${w.source}${w.expires ? `, expired ${w.expires}` : ''}${w.owner ? `, owner ${w.owner}` : ''}): ${w.reason}`) },
    { title: 'Fixed', lines: d.fixed.map(findingLine) },
    { title: 'Newly waived', lines: d.newlyWaived.map(findingLine) },
    { title: 'No longer evaluated (check error or workload not scanned)', lines: d.notEvaluated.map(findingLine) },
    { title: 'Workloads that improved', lines: d.improved.map(regressionLine) },
    { title: 'Workloads that appeared', lines: d.appeared.map((w) => `${w.kind} ${w.name} (${w.identity})`) },
    { title: 'Workloads that disappeared', lines: d.disappeared.map((w) => `${w.kind} ${w.name} (${w.identity})`) },
  ];
}

function heading(d: ScanDiff): string {
  const side = (s: ScanDiff['a']) => `${s.id ? `${s.id.slice(0, 8)} ` : ''}${when(s.startedAt)}`;
  return `${side(d.a)} → ${side(d.b)}`;
}

function verdict(d: ScanDiff): string {
  return d.regression
    ? `REGRESSION: ${d.new.length} new, ${d.regressed.length} regressed, ${d.layersLost.length} lost a layer, ${d.waiversExpired.length} waiver(s) expired; ${d.fixed.length} fixed, ${d.unchanged.length} unchanged`
    : `no regression: ${d.fixed.length} fixed, ${d.unchanged.length} unchanged, ${d.improved.length} improved`;
}

export function diffTable(d: ScanDiff): string {
  let out = `Diff ${heading(d)}\n${verdict(d)}\n`;
  for (const s of sections(d)) {
    if (s.lines.length === 0) continue;
    out += `\n${s.title} (${s.lines.length}):\n${s.lines.map((l) => `  ${l}`).join('\n')}\n`;
  }
  return out;
}

export function diffMarkdown(d: ScanDiff): string {
  let out = `## palisade diff ${heading(d)}\n\n**${verdict(d)}**\n`;
  const esc = (s: string) => s.replace(/([\\`*_[\]<>|])/g, '\\$1');
  for (const s of sections(d)) {
    if (s.lines.length === 0) continue;
    out += `\n### ${s.title} (${s.lines.length})\n\n${s.lines.map((l) => `- ${esc(l)}`).join('\n')}\n`;
  }
  return out;
}

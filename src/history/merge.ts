// `palisade merge`: shard results of one fleet scan (same policy, disjoint
// targets) into one ScanResult, as if one scanner had scanned everything.
import { UsageError } from '../errors.js';
import type { Finding, FindingStatus, RuleInfo, ScanResult, WaiverStatus, Workload } from '../model/report.js';
import { evaluateGate } from '../scoring/score.js';

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}#${n}`;
  used.add(id);
  return id;
}

const WAIVER_RANK: Record<WaiverStatus['status'], number> = { stale: 0, active: 1, expired: 2 };

export function mergeScans(shards: readonly ScanResult[], labels: readonly string[] = shards.map((_, i) => `shard ${i + 1}`)): ScanResult {
  const first = shards[0];
  if (!first) throw new UsageError('merge: no shard results given');
  for (const [i, s] of shards.entries()) {
    if (s.policy.name !== first.policy.name || s.policy.source !== first.policy.source) {
      throw new UsageError(`merge: ${labels[i]} used policy ${s.policy.name} (${s.policy.source}), ${labels[0]} used ${first.policy.name} (${first.policy.source}); shards of one scan share a policy`);
    }
  }

  const used = new Set<string>();
  const workloads: Workload[] = [];
  const findings: Finding[] = [];
  for (const s of shards) {
    // Ids are unique per report; two shards may both have `engine:local`.
    const rename = new Map<string, string>();
    for (const w of s.workloads) rename.set(w.id, uniqueId(w.id, used));
    const mapId = (id: string) => rename.get(id) ?? id;
    for (const w of s.workloads) {
      const out: Workload = { ...w, id: mapId(w.id) };
      if (w.parent !== undefined) out.parent = mapId(w.parent);
      if (w.effective) out.effective = { ...w.effective, chain: w.effective.chain.map(mapId) };
      workloads.push(out);
    }
    for (const f of s.findings) findings.push(f.workloadId === mapId(f.workloadId) ? f : { ...f, workloadId: mapId(f.workloadId) });
  }

  const summary: Record<FindingStatus, number> = { pass: 0, fail: 0, waived: 0, 'not-applicable': 0, error: 0 };
  for (const s of shards) for (const k of Object.keys(summary) as FindingStatus[]) summary[k] += s.summary[k];

  const rules = new Map<string, RuleInfo>();
  for (const s of shards) for (const r of s.rules) if (!rules.has(r.id)) rules.set(r.id, r);

  const waivers = new Map<string, WaiverStatus>();
  for (const s of shards) {
    for (const w of s.waivers) {
      const key = `${w.check}\u0000${w.source}`;
      const seen = waivers.get(key);
      if (!seen) waivers.set(key, { ...w });
      else {
        seen.matched += w.matched;
        if (WAIVER_RANK[w.status] > WAIVER_RANK[seen.status]) seen.status = w.status;
      }
    }
  }

  const gate = evaluateGate(workloads, findings, {
    failOn: first.gate.failOn,
    minScore: first.gate.minScore,
    minDepth: first.gate.minDepth ?? null,
  });

  const times = shards.map((s) => [s.startedAt, s.finishedAt] as const);
  return {
    tool: first.tool,
    startedAt: times.map((t) => t[0]).sort()[0] ?? first.startedAt,
    finishedAt: times.map((t) => t[1]).sort().at(-1) ?? first.finishedAt,
    policy: first.policy,
    targets: shards.flatMap((s) => s.targets),
    workloads,
    findings,
    summary,
    gate,
    incomplete: shards.some((s) => s.incomplete),
    rules: [...rules.values()],
    waivers: [...waivers.values()],
    options: { includePassed: shards.every((s) => s.options.includePassed) },
  };
}

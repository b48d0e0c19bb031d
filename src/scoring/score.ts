// Defense-in-depth scoring (docs/scoring.md). A check's outcome on a workload
// is the worst of its findings; a layer's score is the severity-weighted share
// of its passing checks among those that passed or failed; a layer holds when
// it reaches its threshold with no critical failure; the workload's score is
// the layer-weighted mean and its depth is holding / applicable layers.
import { LAYERS, SEVERITIES, type Layer, type Severity } from '../model/check.js';
import type { Finding, FindingStatus, GateResult, LayerScore, Workload } from '../model/report.js';
import type { ResolvedPolicy } from '../policy/policy.js';

// fail beats error beats waived beats pass beats not-applicable.
const OUTCOME_ORDER: readonly FindingStatus[] = ['fail', 'error', 'waived', 'pass', 'not-applicable'];

interface CheckOutcome {
  layer: Layer;
  severity: Severity;
  status: FindingStatus;
}

function emptyCounts(): Record<FindingStatus, number> {
  return { pass: 0, fail: 0, waived: 0, 'not-applicable': 0, error: 0 };
}

/** One outcome per check, from the (possibly several) findings of that check. */
export function checkOutcomes(findings: readonly Finding[]): CheckOutcome[] {
  const byCheck = new Map<string, CheckOutcome>();
  for (const f of findings) {
    const prev = byCheck.get(f.checkId);
    if (!prev || OUTCOME_ORDER.indexOf(f.status) < OUTCOME_ORDER.indexOf(prev.status)) {
      byCheck.set(f.checkId, { layer: f.layer, severity: f.severity, status: f.status });
    }
  }
  return [...byCheck.values()];
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export interface WorkloadScore {
  score: number | null;
  depth: { holding: number; applicable: number };
  layers: LayerScore[];
}

export function scoreWorkload(findings: readonly Finding[], policy: ResolvedPolicy): WorkloadScore {
  const outcomes = checkOutcomes(findings);
  const layers: LayerScore[] = [];
  let weighted = 0;
  let weights = 0;
  let holding = 0;
  let applicable = 0;
  for (const layer of LAYERS) {
    const mine = outcomes.filter((o) => o.layer === layer);
    const counts = emptyCounts();
    let passed = 0;
    let decided = 0;
    let criticalFailure = false;
    for (const o of mine) {
      counts[o.status]++;
      const w = policy.severityWeights[o.severity];
      if (o.status === 'pass') {
        passed += w;
        decided += w;
      } else if (o.status === 'fail') {
        decided += w;
        if (o.severity === 'critical') criticalFailure = true;
      }
    }
    const isApplicable = counts.pass + counts.fail > 0;
    // A layer whose decided checks all weigh 0 counts as fully passing only if nothing failed.
    const score = !isApplicable ? null : decided === 0 ? (counts.fail === 0 ? 100 : 0) : round1((100 * passed) / decided);
    const holds = score === null ? null : score >= policy.thresholds[layer] && !criticalFailure;
    if (score !== null) {
      applicable++;
      if (holds) holding++;
      weighted += score * policy.layerWeights[layer];
      weights += policy.layerWeights[layer];
    }
    layers.push({ layer, score, holds, counts, criticalFailure });
  }
  return {
    score: applicable === 0 ? null : weights === 0 ? null : round1(weighted / weights),
    depth: { holding, applicable },
    layers,
  };
}

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

export interface GateSettings {
  failOn: Severity | 'none';
  minScore: number | null;
  /** Fail when a workload's own depth holds fewer layers than this. */
  minDepth?: number | null;
  /** `new since baseline FILE`: the findings given are only those new since a baseline. */
  qualifier?: string;
}

/** The CI gate: unwaived failures at or above `failOn`, workloads under `minScore` or `minDepth`. */
export function evaluateGate(workloads: readonly Workload[], findings: readonly Finding[], gate: GateSettings): GateResult {
  const reasons: string[] = [];
  if (gate.failOn !== 'none') {
    const failOn = gate.failOn;
    const failing = findings.filter((f) => f.status === 'fail' && severityAtLeast(f.severity, failOn));
    if (failing.length > 0) {
      const bySeverity = SEVERITIES.map((s) => [s, failing.filter((f) => f.severity === s).length] as const)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ');
      const qualifier = gate.qualifier ? ` ${gate.qualifier}` : '';
      reasons.push(`${failing.length} failing finding(s) at or above ${failOn}${qualifier} (${bySeverity})`);
    }
  }
  if (gate.minScore !== null) {
    const minScore = gate.minScore;
    const low = workloads.filter((w) => w.score !== null && w.score < minScore);
    for (const w of low) reasons.push(`${w.kind} ${w.name} scores ${w.score} < ${minScore}`);
  }
  if (gate.minDepth !== undefined && gate.minDepth !== null) {
    const minDepth = gate.minDepth;
    const shallow = workloads.filter((w) => w.depth.applicable > 0 && w.depth.holding < minDepth);
    for (const w of shallow) reasons.push(`${w.kind} ${w.name} holds ${w.depth.holding}/${w.depth.applicable} layers < ${minDepth}`);
  }
  const result: GateResult = { passed: reasons.length === 0, failOn: gate.failOn, minScore: gate.minScore, reasons };
  if (gate.minDepth !== undefined && gate.minDepth !== null) result.minDepth = gate.minDepth;
  return result;
}

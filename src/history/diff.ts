// What changed between two scans, by finding fingerprint and workload identity
// (never by container id, which changes when a container is re-created). Pure:
// works on JSON reports as well as recorded scans.
import { LAYERS, type Layer } from '../model/check.js';
import type { Finding, LayerScore, ScanResult, WaiverStatus, Workload } from '../model/report.js';
import type { DepthChange, DiffFinding, ExpiredWaiver, LayerLoss, ScanDiff, ScoreChange, WorkloadRef, WorkloadRegression } from './types.js';

/** What the diff reads of a workload (a Workload is one). */
export interface DiffWorkload extends Pick<Workload, 'id' | 'identity' | 'kind' | 'name' | 'score' | 'error'> {
  depth: { holding: number };
  effective?: { score: number | null; depth: { holding: number } };
  layers: readonly Pick<LayerScore, 'layer' | 'holds'>[];
}

/** What the diff reads of a finding. */
export type DiffFindingInput = Pick<Finding, 'fingerprint' | 'checkId' | 'workloadId' | 'status' | 'severity' | 'layer' | 'message'>;

/**
 * What the diff reads of a scan (a ScanResult is one). The store passes only
 * the findings that can matter: failing or waived ones, and those whose
 * fingerprint fails or is waived in the other scan.
 */
export interface DiffInput extends Pick<ScanResult, 'startedAt' | 'options'> {
  workloads: readonly DiffWorkload[];
  findings: readonly DiffFindingInput[];
  waivers: readonly WaiverStatus[];
}

/** Workloads by identity; a second workload with the same identity in one scan gets `#2`. */
function byIdentity(scan: DiffInput): { byIdentity: Map<string, DiffWorkload>; identityOf: Map<string, string> } {
  const out = new Map<string, DiffWorkload>();
  const identityOf = new Map<string, string>();
  for (const w of scan.workloads) {
    let key = w.identity;
    for (let n = 2; out.has(key); n++) key = `${w.identity}#${n}`;
    out.set(key, w);
    identityOf.set(w.id, key);
  }
  return { byIdentity: out, identityOf };
}

function ref(identity: string, w: DiffWorkload | undefined, fallbackName: string): WorkloadRef {
  return { identity, kind: w?.kind ?? 'container', name: w?.name ?? fallbackName };
}

function scoreDown(a: number | null, b: number | null): ScoreChange | undefined {
  if (a === null) return undefined;
  if (b === null || b < a) return { from: a, to: b };
  return undefined;
}

function scoreUp(a: number | null, b: number | null): ScoreChange | undefined {
  if (b === null) return undefined;
  if (a === null || b > a) return { from: a, to: b };
  return undefined;
}

const depthDown = (a: number, b: number): DepthChange | undefined => (b < a ? { from: a, to: b } : undefined);
const depthUp = (a: number, b: number): DepthChange | undefined => (b > a ? { from: a, to: b } : undefined);

function holding(w: DiffWorkload): Set<Layer> {
  return new Set(w.layers.filter((l) => l.holds === true).map((l) => l.layer));
}

function waiverKey(w: Pick<WaiverStatus, 'check' | 'reason' | 'owner' | 'expires'>): string {
  // Not the policy line (`source`): editing the policy file above a waiver moves it.
  return [w.check, w.reason, w.owner ?? '', w.expires ?? ''].join('\u0000');
}

export function diffScans(a: DiffInput, b: DiffInput): ScanDiff {
  const wa = byIdentity(a);
  const wb = byIdentity(b);

  const describe = (f: DiffFindingInput, side: typeof wa, previous?: DiffFindingInput): DiffFinding => {
    const identity = side.identityOf.get(f.workloadId) ?? f.workloadId;
    const out: DiffFinding = {
      fingerprint: f.fingerprint,
      checkId: f.checkId,
      workload: ref(identity, side.byIdentity.get(identity), f.workloadId),
      status: f.status,
      severity: f.severity,
      layer: f.layer,
      message: f.message,
    };
    if (previous) out.previousStatus = previous.status;
    return out;
  };

  const findingsA = new Map(a.findings.map((f) => [f.fingerprint, f]));
  const findingsB = new Map(b.findings.map((f) => [f.fingerprint, f]));
  const diff: ScanDiff = {
    a: { startedAt: a.startedAt },
    b: { startedAt: b.startedAt },
    new: [],
    fixed: [],
    unchanged: [],
    newlyWaived: [],
    notEvaluated: [],
    regressed: [],
    improved: [],
    layersLost: [],
    appeared: [],
    disappeared: [],
    waiversExpired: [],
    regression: false,
  };

  for (const fb of b.findings) {
    const fa = findingsA.get(fb.fingerprint);
    if (fb.status === 'fail') {
      if (fa?.status === 'fail') diff.unchanged.push(describe(fb, wb, fa));
      else diff.new.push(describe(fb, wb, fa));
    } else if (fb.status === 'waived' && fa?.status === 'fail') {
      diff.newlyWaived.push(describe(fb, wb, fa));
    }
  }
  for (const fa of a.findings) {
    if (fa.status !== 'fail') continue;
    const fb = findingsB.get(fa.fingerprint);
    if (fb?.status === 'pass' || fb?.status === 'not-applicable') diff.fixed.push(describe(fb, wb, fa));
    else if (fb === undefined || fb.status === 'error') {
      // Passes are not listed unless --include-passed: a finding missing from B whose workload B scanned cleanly is fixed.
      const identity = wa.identityOf.get(fa.workloadId) ?? fa.workloadId;
      const inB = wb.byIdentity.get(identity);
      if (fb === undefined && inB && inB.error === undefined && !b.options.includePassed) diff.fixed.push({ ...describe(fa, wa, fa), status: 'pass' });
      else diff.notEvaluated.push(describe(fb ?? fa, fb ? wb : wa, fa));
    }
  }

  for (const [identity, before] of wa.byIdentity) {
    const after = wb.byIdentity.get(identity);
    if (!after) {
      diff.disappeared.push(ref(identity, before, before.name));
      continue;
    }
    const base = ref(identity, after, after.name);
    const worse: WorkloadRegression = { ...base };
    const better: WorkloadRegression = { ...base };
    const set = <K extends keyof WorkloadRegression>(target: WorkloadRegression, key: K, value: WorkloadRegression[K] | undefined) => {
      if (value !== undefined) target[key] = value;
    };
    set(worse, 'score', scoreDown(before.score, after.score));
    set(worse, 'depth', depthDown(before.depth.holding, after.depth.holding));
    set(better, 'score', scoreUp(before.score, after.score));
    set(better, 'depth', depthUp(before.depth.holding, after.depth.holding));
    if (before.effective && after.effective) {
      set(worse, 'effectiveScore', scoreDown(before.effective.score, after.effective.score));
      set(worse, 'effectiveDepth', depthDown(before.effective.depth.holding, after.effective.depth.holding));
      set(better, 'effectiveScore', scoreUp(before.effective.score, after.effective.score));
      set(better, 'effectiveDepth', depthUp(before.effective.depth.holding, after.effective.depth.holding));
    }
    if (Object.keys(worse).length > 3) diff.regressed.push(worse);
    if (Object.keys(better).length > 3) diff.improved.push(better);
    const held = holding(before);
    const holdsNow = holding(after);
    const lost = LAYERS.filter((l) => held.has(l) && !holdsNow.has(l));
    if (lost.length > 0) diff.layersLost.push({ ...base, lost } satisfies LayerLoss);
  }
  for (const [identity, after] of wb.byIdentity) {
    if (!wa.byIdentity.has(identity)) diff.appeared.push(ref(identity, after, after.name));
  }

  const expiredInA = new Set(a.waivers.filter((w) => w.status === 'expired').map(waiverKey));
  for (const w of b.waivers) {
    if (w.status !== 'expired' || expiredInA.has(waiverKey(w))) continue;
    const out: ExpiredWaiver = { check: w.check, source: w.source, reason: w.reason, matched: w.matched };
    if (w.owner !== undefined) out.owner = w.owner;
    if (w.expires !== undefined) out.expires = w.expires;
    diff.waiversExpired.push(out);
  }

  diff.regression = diff.new.length > 0 || diff.regressed.length > 0 || diff.layersLost.length > 0 || diff.waiversExpired.length > 0;
  return diff;
}

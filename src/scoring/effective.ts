// Effective depth (docs/scoring.md, "Nested workloads"): a workload's own
// layers plus those of everything it runs on (container -> engine -> VM). An
// attacker who escapes a container still has to get through the layers that
// hold on its engine and its host, so they count; so do the ones that fail.
import type { Layer } from '../model/check.js';
import type { Workload } from '../model/report.js';

export interface EffectiveScore {
  score: number | null;
  depth: { holding: number; applicable: number };
  /** Workload ids from this one outwards. */
  chain: string[];
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The chain from a workload outwards through its parents (cycles and missing parents end it). */
export function chainOf(workload: Workload, byId: ReadonlyMap<string, Workload>): Workload[] {
  const chain = [workload];
  const seen = new Set([workload.id]);
  let parent = workload.parent;
  while (parent !== undefined && !seen.has(parent)) {
    const next = byId.get(parent);
    if (!next) break;
    chain.push(next);
    seen.add(next.id);
    parent = next.parent;
  }
  return chain;
}

export function effectiveScore(chain: readonly Workload[], layerWeights: Readonly<Record<Layer, number>>): EffectiveScore {
  let holding = 0;
  let applicable = 0;
  let weighted = 0;
  let weights = 0;
  for (const w of chain) {
    holding += w.depth.holding;
    applicable += w.depth.applicable;
    for (const l of w.layers) {
      if (l.score === null) continue;
      weighted += l.score * layerWeights[l.layer];
      weights += layerWeights[l.layer];
    }
  }
  return {
    score: weights === 0 ? null : round1(weighted / weights),
    depth: { holding, applicable },
    chain: chain.map((w) => w.id),
  };
}

/** Adds `effective` to every workload that runs on another scanned workload. */
export function addEffectiveScores(workloads: Workload[], layerWeights: Readonly<Record<Layer, number>>): void {
  const byId = new Map(workloads.map((w) => [w.id, w]));
  for (const w of workloads) {
    const chain = chainOf(w, byId);
    if (chain.length > 1) w.effective = effectiveScore(chain, layerWeights);
  }
}

// A workload's layer scores as the store keeps them: one array per layer
// instead of an object with a nested counts object (a third of the bytes of
// workloads.layers), whenever that gives back exactly what was recorded; any
// other shape is kept as it came.
import type { Layer } from '../model/check.js';
import type { FindingStatus, LayerScore } from '../model/report.js';

/** layer, score, holds, criticalFailure, then the counts in COUNT_KEYS order. */
export type PackedLayer = [Layer, number | null, boolean | null, boolean, number, number, number, number, number];

const LAYER_KEYS = ['layer', 'score', 'holds', 'counts', 'criticalFailure'];
const COUNT_KEYS: readonly FindingStatus[] = ['pass', 'fail', 'waived', 'not-applicable', 'error'];

function sameKeys(o: object, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && own.every((k, i) => k === keys[i]);
}

function packable(l: LayerScore): boolean {
  return (
    sameKeys(l, LAYER_KEYS) &&
    typeof l.layer === 'string' &&
    (l.score === null || typeof l.score === 'number') &&
    (l.holds === null || typeof l.holds === 'boolean') &&
    typeof l.criticalFailure === 'boolean' &&
    typeof l.counts === 'object' &&
    l.counts !== null &&
    sameKeys(l.counts, COUNT_KEYS) &&
    COUNT_KEYS.every((k) => typeof l.counts[k] === 'number')
  );
}

export function packLayers(layers: readonly LayerScore[]): readonly PackedLayer[] | readonly LayerScore[] {
  if (!layers.every(packable)) return layers;
  return layers.map((l): PackedLayer => [l.layer, l.score, l.holds, l.criticalFailure, ...(COUNT_KEYS.map((k) => l.counts[k]) as [number, number, number, number, number])]);
}

export function unpackLayers(stored: readonly PackedLayer[] | readonly LayerScore[]): LayerScore[] {
  return stored.map((l) => {
    if (!Array.isArray(l)) return l as LayerScore;
    const [layer, score, holds, criticalFailure, pass, fail, waived, notApplicable, error] = l as PackedLayer;
    return { layer, score, holds, counts: { pass, fail, waived, 'not-applicable': notApplicable, error }, criticalFailure };
  });
}

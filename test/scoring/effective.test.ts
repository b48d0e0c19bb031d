import { describe, expect, it } from 'vitest';

import type { LayerScore, Workload } from '../../src/model/report.js';
import { DEFAULT_LAYER_WEIGHTS } from '../../src/policy/defaults.js';
import { addEffectiveScores } from '../../src/scoring/effective.js';

function layer(name: LayerScore['layer'], score: number | null, holds: boolean | null): LayerScore {
  return { layer: name, score, holds, counts: { pass: 0, fail: 0, waived: 0, 'not-applicable': 0, error: 0 }, criticalFailure: false };
}

function workload(id: string, parent: string | undefined, layers: LayerScore[]): Workload {
  const applicable = layers.filter((l) => l.score !== null);
  return {
    id,
    kind: id.startsWith('container') ? 'container' : id.startsWith('engine') ? 'engine' : 'host',
    name: id,
    labels: {},
    parent,
    identity: id,
    score: null,
    depth: { holding: applicable.filter((l) => l.holds).length, applicable: applicable.length },
    layers,
    location: { uri: 'x', startLine: 1, synthetic: true },
  };
}

describe('src/scoring/effective', () => {
  it('adds the layers of the engine and the VM under a container (docs/scoring.md example)', () => {
    const vm = workload('host:vm-1', undefined, [layer('patching', 100, true), layer('segmentation', 50, false), layer('access', 100, true)]);
    const engine = workload('engine:vm-1', 'host:vm-1', [layer('isolation', 100, true), layer('patching', 0, false)]);
    const container = workload('container:vm-1/web', 'engine:vm-1', [layer('isolation', 100, true), layer('least-privilege', 40, false)]);
    const workloads = [vm, engine, container];

    addEffectiveScores(workloads, DEFAULT_LAYER_WEIGHTS);

    expect(container.effective).toEqual({
      // isolation 3*100 + least-privilege 2*40 + isolation 3*100 + patching 3*0 + patching 3*100 + segmentation 2*50 + access 2*100
      score: 71.1, // 1280 / 18
      depth: { holding: 4, applicable: 7 },
      chain: ['container:vm-1/web', 'engine:vm-1', 'host:vm-1'],
    });
    expect(engine.effective?.depth).toEqual({ holding: 3, applicable: 5 });
    expect(vm.effective).toBeUndefined();
  });

  it('stops at a missing parent and at a cycle', () => {
    const orphan = workload('container:a', 'engine:gone', [layer('isolation', 100, true)]);
    const a = workload('engine:a', 'engine:b', [layer('isolation', 100, true)]);
    const b = workload('engine:b', 'engine:a', [layer('isolation', 0, false)]);

    addEffectiveScores([orphan, a, b], DEFAULT_LAYER_WEIGHTS);

    expect(orphan.effective).toBeUndefined();
    expect(a.effective?.chain).toEqual(['engine:a', 'engine:b']);
  });
});

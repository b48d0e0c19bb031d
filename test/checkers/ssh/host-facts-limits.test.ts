// A host that ignores the probe's on-host `head -c` (a hostile ForceCommand,
// a fake probe) can put any amount into one section: palisade checks the
// per-section bound itself, and only that fact is lost.
import { describe, expect, it } from 'vitest';

import { buildHostFacts } from '../../../src/checkers/ssh/host-facts.js';
import { PROBE_SECTION_MAX_BYTES } from '../../../src/checkers/ssh/probe.js';
import { splitProbeOutput } from '../../../src/checkers/ssh/sections.js';
import { TARGET, probeText } from './fixtures.js';

describe('src/checkers/ssh/host-facts (per-section bound)', () => {
  it('refuses a section over the bound, naming it, and keeps the other facts', () => {
    const text = probeText('debian-12');
    const begin = text.indexOf('@@palisade:begin:sshd:root\n') + '@@palisade:begin:sshd:root\n'.length;
    const flooded = `${text.slice(0, begin)}${'PermitRootLogin yes\n'.repeat(Math.ceil(PROBE_SECTION_MAX_BYTES / 20) + 10)}${text.slice(begin)}`;

    const facts = buildHostFacts(splitProbeOutput(flooded), TARGET);

    expect(facts.sshd).toBeUndefined();
    expect(facts.notCollected['sshd']?.detail).toBe(`sshd: output exceeded ${PROBE_SECTION_MAX_BYTES} bytes and was cut`);
    expect(facts.os.id).toBe('debian');
    expect(facts.packages?.length).toBeGreaterThan(100);
  });
});

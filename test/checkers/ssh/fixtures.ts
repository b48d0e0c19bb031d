// Loads the probe outputs under fixtures/ssh/ (see its README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildHostFacts } from '../../../src/checkers/ssh/host-facts.js';
import type { HostTarget } from '../../../src/checkers/ssh/host-facts.js';
import type { ProbeSectionName } from '../../../src/checkers/ssh/probe.js';
import { splitProbeOutput } from '../../../src/checkers/ssh/sections.js';
import type { ProbeOutput } from '../../../src/checkers/ssh/sections.js';
import type { HostFacts } from '../../../src/model/facts.js';

export const SSH_FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'ssh');

export const DISTROS = [
  'debian-12',
  'ubuntu-22.04',
  'rocky-9',
  'fedora-40',
  'amazon-linux-2023',
  'alpine-3.20',
  'opensuse-leap-15.6',
] as const;

export const BAD = ['truncated', 'garbage', 'sudo-password-required', 'sudo-requiretty', 'not-root-no-sudo'] as const;

export const TARGET: HostTarget = { name: 'vm1', address: '198.18.0.10', port: 22, segment: 'dmz', tags: ['web'] };

/** The raw probe output of a fixture folder, e.g. `rocky-9` or `bad/garbage`. */
export function probeText(fixture: string): string {
  return readFileSync(join(SSH_FIXTURES, fixture, 'probe.txt'), 'utf8');
}

export function probe(fixture: string): ProbeOutput {
  return splitProbeOutput(probeText(fixture));
}

/** One section's stdout from a fixture. */
export function sectionOutput(fixture: string, name: ProbeSectionName): string {
  const section = probe(fixture).sections.get(name);
  if (!section) throw new Error(`no section ${name} in ${fixture}`);
  return section.output;
}

export function hostFacts(fixture: string, target: HostTarget = TARGET): HostFacts {
  return buildHostFacts(probe(fixture), target);
}

import { describe, expect, it } from 'vitest';

import { parseRebootSignals, rebootVerdict } from '../../../../src/checkers/ssh/parsers/reboot.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/reboot', () => {
  it.each([
    ['ubuntu-22.04', 'debian', { known: true, required: true, packages: ['linux-image-5.15.0-107-generic', 'linux-base'] }],
    ['rocky-9', 'rhel', { known: true, required: false, packages: [] }],
    ['fedora-40', 'rhel', { known: true, required: true, packages: ['kernel', 'systemd'] }],
    ['opensuse-leap-15.6', 'suse', { known: true, required: false, packages: [] }],
    ['debian-12', 'debian', expect.objectContaining({ known: false, reason: 'command-missing' })],
    ['alpine-3.20', 'alpine', expect.objectContaining({ known: false, reason: 'unsupported-os' })],
  ] as const)('reads %s', (fixture, family, expected) => {
    const verdict = rebootVerdict(family, parseRebootSignals(sectionOutput(fixture, 'reboot-required')));

    expect(verdict).toEqual(expected);
  });

  it.each([
    ['needrestart: kernel version upgrade pending', 'file absent\nneedrestart NEEDRESTART-KSTA: 3\n', 'debian', { known: true, required: true, packages: [] }],
    ['needrestart: current kernel', 'file absent\nneedrestart NEEDRESTART-KSTA: 1\n', 'debian', { known: true, required: false, packages: [] }],
    ['SUSE reboot-needed flag', 'file absent\nreboot-needed present\n', 'suse', { known: true, required: true, packages: [] }],
    ['zypper exit 102', 'zypper Reboot is suggested\nzypper-rc 102\n', 'suse', { known: true, required: true, packages: [] }],
    [
      'a missing needs-restarting plugin',
      'needs-restarting No such command: needs-restarting.\nneeds-restarting-rc 1\n',
      'rhel',
      expect.objectContaining({ known: false, reason: 'failed' }),
    ],
    ['no needs-restarting at all', 'file absent\n', 'rhel', expect.objectContaining({ known: false, reason: 'command-missing' })],
  ] as const)('reads %s', (_label, text, family, expected) => {
    expect(rebootVerdict(family, parseRebootSignals(text))).toEqual(expected);
  });
});

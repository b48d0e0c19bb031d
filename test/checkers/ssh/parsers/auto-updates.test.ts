import { describe, expect, it } from 'vitest';

import { autoUpdatesFor, parseAutoUpdateSignals } from '../../../../src/checkers/ssh/parsers/auto-updates.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/auto-updates', () => {
  it('reads apt-config lists, binaries, units and configuration', () => {
    const signals = parseAutoUpdateSignals(sectionOutput('ubuntu-22.04', 'auto-updates'));

    expect(signals.apt['APT::Periodic::Unattended-Upgrade']).toEqual(['1']);
    expect(signals.apt['Unattended-Upgrade::Allowed-Origins']).toContain('${distro_id}:${distro_codename}-security');
    expect([...signals.binaries]).toEqual(['unattended-upgrade']);
    expect(signals.units['apt-daily-upgrade.timer']).toBe('enabled');
    expect(signals.units['dnf-automatic.timer']).toBe('not-found');
  });

  it.each([
    ['ubuntu-22.04', 'debian', { mechanism: 'unattended-upgrades', enabled: true }],
    ['debian-12', 'debian', { mechanism: 'none', enabled: false }],
    ['rocky-9', 'rhel', { mechanism: 'dnf-automatic', enabled: true }],
    ['fedora-40', 'rhel', { mechanism: 'none', enabled: false }],
    ['opensuse-leap-15.6', 'suse', { mechanism: 'yast-online-update', enabled: false }],
    ['alpine-3.20', 'alpine', { mechanism: 'none', enabled: false }],
  ] as const)('decides for %s', (fixture, family, expected) => {
    const result = autoUpdatesFor(family, parseAutoUpdateSignals(sectionOutput(fixture, 'auto-updates')));

    expect(result).toMatchObject(expected);
  });

  it.each([
    [
      'unattended-upgrades with the periodic switch off',
      'apt APT::Periodic::Unattended-Upgrade "0";\napt Unattended-Upgrade::Origins-Pattern:: "label=Debian-Security";\nbinary unattended-upgrade\nunit apt-daily-upgrade.timer enabled\n',
      'debian',
      false,
    ],
    [
      'unattended-upgrades with its timer masked',
      'apt APT::Periodic::Unattended-Upgrade "1";\napt Unattended-Upgrade::Origins-Pattern:: "label=Debian-Security";\nbinary unattended-upgrade\nunit apt-daily-upgrade.timer masked\n',
      'debian',
      false,
    ],
    [
      'unattended-upgrades from cron on a host without systemd',
      'apt APT::Periodic::Unattended-Upgrade "1";\napt Unattended-Upgrade::Origins-Pattern:: "label=Debian-Security";\nbinary unattended-upgrade\n',
      'debian',
      true,
    ],
    ['dnf-automatic that only downloads', 'unit dnf-automatic.timer enabled\nconf /etc/dnf/automatic.conf apply_updates = no\n', 'rhel', false],
    ['dnf-automatic-install.timer', 'unit dnf-automatic-install.timer enabled\n', 'rhel', true],
    ['yum-cron applying updates', 'unit yum-cron.service enabled\nconf /etc/yum/yum-cron.conf apply_updates = yes\n', 'rhel', true],
    ['transactional-update', 'unit transactional-update.timer enabled\n', 'suse', true],
  ] as const)('decides %s', (_label, text, family, enabled) => {
    expect(autoUpdatesFor(family, parseAutoUpdateSignals(text))?.enabled).toBe(enabled);
  });

  it('has no answer for an unknown family', () => {
    expect(autoUpdatesFor('unknown', parseAutoUpdateSignals(''))).toBeUndefined();
  });
});

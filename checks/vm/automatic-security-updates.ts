// Risk: without automatic security updates, every fix waits for someone to
// log in and patch, and the exposure window grows with every busy week.
import { defineCheck } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const AUTO_UPDATES_KEYS = ['auto-updates', 'autoUpdates'];

export default defineCheck({
  id: 'vm/automatic-security-updates',
  target: 'host',
  meta: {
    title: 'Security updates are installed automatically',
    description:
      'Security fixes are most valuable in the days after they ship, when exploits appear. A host that installs ' +
      'them automatically (unattended-upgrades with the security origin on Debian/Ubuntu, a dnf-automatic timer ' +
      'that applies updates on the RHEL family, automatic online update on SUSE) closes that window without waiting ' +
      'for an operator.',
    layer: 'patching',
    severity: 'low',
    remediation:
      'Debian/Ubuntu: `apt-get install unattended-upgrades && dpkg-reconfigure -plow unattended-upgrades` (sets ' +
      '`APT::Periodic::Unattended-Upgrade "1"`), keep the `-security` origin in `Unattended-Upgrade::Origins-Pattern` ' +
      'and `apt-daily-upgrade.timer` enabled. RHEL, Rocky, Alma, Fedora, Amazon Linux: `dnf install dnf-automatic`, ' +
      'set `upgrade_type = security` and `apply_updates = yes` in /etc/dnf/automatic.conf, then `systemctl enable ' +
      '--now dnf-automatic.timer` (or `dnf-automatic-install.timer`). SUSE: `yast2 online_update_configuration` ' +
      '(AOU_ENABLE_CRONJOB="true" in /etc/sysconfig/automatic_online_update), or `transactional-update.timer` on ' +
      'transactional systems. Alpine: schedule `apk update && apk upgrade` from /etc/periodic/daily.',
    references: [
      'nist-800-53:SI-2',
      'https://wiki.debian.org/UnattendedUpgrades',
      'https://dnf.readthedocs.io/en/latest/automatic.html',
    ],
    messages: {
      'no-mechanism': 'Host {{name}} has no automatic update mechanism ({{detail}}).',
      disabled: 'Automatic security updates are not enabled on {{name}} ({{mechanism}}: {{detail}}).',
    },
  },
  appliesTo({ host }) {
    return host.autoUpdates === undefined ? notEvaluated(host, AUTO_UPDATES_KEYS, 'automatic updates') : undefined;
  },
  evaluate({ host }) {
    if (host.autoUpdates === undefined || host.autoUpdates.enabled) return [];
    const { mechanism, detail } = host.autoUpdates;
    const none = mechanism === '' || mechanism === 'none';
    return [
      {
        messageId: none ? 'no-mechanism' : 'disabled',
        data: { name: host.name, mechanism: none ? 'none' : mechanism, detail },
        evidence: {
          source: 'automatic updates',
          path: 'autoUpdates.enabled',
          observed: { mechanism, enabled: false, detail },
          expected: { enabled: true },
        },
      },
    ];
  },
});

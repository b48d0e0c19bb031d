// Risk: updated libraries or a new kernel installed but not yet loaded leave
// the host running the vulnerable code until it reboots.
import { defineCheck } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const REBOOT_KEYS = ['reboot', 'reboot-required', 'rebootRequired'];

export default defineCheck({
  id: 'vm/reboot-not-required',
  target: 'host',
  meta: {
    title: 'Host does not need a reboot to apply installed updates',
    description:
      'The distribution says a reboot is needed: /var/run/reboot-required on Debian/Ubuntu, `dnf needs-restarting ' +
      '-r` on the RHEL family, `zypper needs-rebooting` on SUSE. Updates to the kernel, glibc, systemd or other ' +
      'core libraries are installed but the old, vulnerable code keeps running in memory until the host reboots.',
    layer: 'patching',
    severity: 'medium',
    remediation:
      'Reboot the host in a maintenance window (`systemctl reboot`). To see why first: Debian/Ubuntu `cat ' +
      '/var/run/reboot-required.pkgs`; RHEL family `dnf needs-restarting -r`; SUSE `zypper needs-rebooting` and ' +
      '`zypper ps -s`. Debian/Ubuntu can reboot automatically after unattended upgrades with ' +
      '`Unattended-Upgrade::Automatic-Reboot "true"`.',
    references: ['cwe:1395', 'nist-800-53:SI-2', 'https://wiki.debian.org/UnattendedUpgrades'],
    messages: {
      'reboot-required': 'Host {{name}} needs a reboot to apply installed updates.',
      'reboot-required-by': 'Host {{name}} needs a reboot to apply installed updates of {{packages}}.',
    },
  },
  appliesTo({ host }) {
    return host.rebootRequired === undefined ? notEvaluated(host, REBOOT_KEYS, 'whether a reboot is required') : undefined;
  },
  evaluate({ host }) {
    if (!host.rebootRequired?.required) return [];
    const { packages } = host.rebootRequired;
    return [
      {
        messageId: packages.length > 0 ? 'reboot-required-by' : 'reboot-required',
        data: { name: host.name, packages: packages.join(', ') },
        evidence: { source: 'reboot-required', path: 'rebootRequired', observed: { required: true, packages }, expected: { required: false } },
      },
    ];
  },
});

// Risk: a pending security update is a published, already fixed vulnerability
// that stays exploitable on the host until the update is installed.
import { defineCheck, type Violation } from '../../src/model/check.js';
import type { HostFacts, PendingUpdate } from '../../src/model/facts.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

// The probe section name first, then the HostFacts field the SSH checker keys
// `notCollected` by; either may carry the reason.
const UPDATES_KEYS = ['updates'];
// Pending updates were read but could not be told apart (Alpine has no
// security channel; `dnf updateinfo` failed).
const CLASSIFICATION_KEYS = ['updates.security'];

/** Pending security updates, one per package name (several architectures of one package are one update). */
function securityUpdates(host: HostFacts): PendingUpdate[] {
  const byName = new Map<string, PendingUpdate>();
  for (const update of host.updates?.pending ?? []) if (update.security && !byName.has(update.name)) byName.set(update.name, update);
  return [...byName.values()];
}

export default defineCheck({
  id: 'vm/security-updates-applied',
  target: 'host',
  meta: {
    title: 'No security updates are pending',
    description:
      'The distribution has published a fix (Debian/Ubuntu `-security` origin, a RHSA/ALSA/RLSA/FEDORA advisory ' +
      'in `dnf updateinfo`, a SUSE security patch) and the host has not installed it. The vulnerability is public, ' +
      'often with exploit code, from the day the fix ships. Pending updates are read from the host\'s own package ' +
      'metadata without refreshing it, so they are only as fresh as that metadata (see vm/package-metadata-fresh). ' +
      'Hosts whose updates could not be classified (Alpine) are not evaluated rather than passed.',
    layer: 'patching',
    severity: 'high',
    remediation:
      'Install the pending security updates. Debian/Ubuntu: `apt-get update && apt-get install --only-upgrade ' +
      '<package>` (or `unattended-upgrade` to apply the security origin only). RHEL, Rocky, Alma, Fedora, Amazon ' +
      'Linux: `dnf upgrade --security` (`yum update --security` on EL7 and Amazon Linux 2). SUSE: `zypper patch ' +
      '--category security`. Alpine: `apk update && apk upgrade <package>`. Then restart the services using the ' +
      'updated libraries (`needrestart`, `dnf needs-restarting -s`, `zypper ps -s`) or reboot.',
    references: [
      'cwe:1395',
      'nist-800-53:SI-2',
      'https://www.debian.org/security/',
      'https://dnf.readthedocs.io/en/latest/command_ref.html',
      'https://en.opensuse.org/SDB:Zypper_usage',
    ],
    messages: {
      'security-update-pending':
        'Security update for {{package}} is pending on {{name}}: {{installed}} installed, {{candidate}} available from {{origin}}.',
    },
  },
  appliesTo({ host }) {
    if (host.updates === undefined) return notEvaluated(host, UPDATES_KEYS, 'pending updates');
    // Known security updates still fail when the rest could not be classified;
    // an empty list is only trusted when the classification ran.
    if (securityUpdates(host).length === 0 && CLASSIFICATION_KEYS.some((key) => host.notCollected[key] !== undefined)) {
      return notEvaluated(host, CLASSIFICATION_KEYS, 'the security classification of pending updates');
    }
    return undefined;
  },
  evaluate({ host }) {
    const updates = securityUpdates(host);
    return updates.map(
      (update): Violation => ({
        messageId: 'security-update-pending',
        data: {
          name: host.name,
          package: update.name,
          installed: update.installed,
          candidate: update.candidate,
          origin: update.origin ?? 'the security channel',
          pendingSecurityUpdates: updates.length,
        },
        evidence: {
          source: 'pending updates',
          path: 'updates.pending',
          observed: {
            name: update.name,
            installed: update.installed,
            candidate: update.candidate,
            ...(update.origin !== undefined ? { origin: update.origin } : {}),
          },
          expected: `${update.name} ${update.candidate} or later installed`,
        },
        key: update.name,
      }),
    );
  },
});

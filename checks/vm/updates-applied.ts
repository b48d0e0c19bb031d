// Risk: a host that falls behind on ordinary updates accumulates bug fixes
// (some of them silent security fixes) and grows riskier to patch later.
import { defineCheck, type EvaluationContext } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const UPDATES_KEYS = ['updates'];
const DEFAULT_MAX_PENDING = 0;

function maxPending(ctx: EvaluationContext): number {
  const value = ctx.params['maxPending'];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_MAX_PENDING;
}

export default defineCheck({
  id: 'vm/updates-applied',
  target: 'host',
  meta: {
    title: 'No ordinary updates are pending beyond the allowed number',
    description:
      'Updates not marked as security fixes still carry bug fixes, and distributions sometimes ship security fixes ' +
      'through regular updates before an advisory exists. A backlog also makes the next security update riskier, ' +
      'since it pulls many changes at once. Security updates are judged separately by vm/security-updates-applied. ' +
      'When the host could not classify its updates (Alpine has no security channel), every pending update counts here.',
    layer: 'patching',
    severity: 'low',
    remediation:
      'Apply pending updates in your maintenance window. Debian/Ubuntu: `apt-get update && apt-get upgrade` ' +
      '(`apt-get dist-upgrade` for new dependencies). RHEL, Rocky, Alma, Fedora, Amazon Linux: `dnf upgrade` ' +
      '(`yum update` on EL7). SUSE: `zypper update` (or `zypper patch`). Alpine: `apk update && apk upgrade`. Raise ' +
      'the `maxPending` parameter if a small backlog is acceptable.',
    references: [
      'cwe:1104',
      'nist-800-53:SI-2',
      'https://wiki.debian.org/UnattendedUpgrades',
      'https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper',
    ],
    messages: {
      'updates-pending': '{{count}} non-security updates are pending on {{name}} (at most {{maxPending}} allowed).',
      'updates-pending-unclassified':
        '{{count}} updates are pending on {{name}} (at most {{maxPending}} allowed); the host could not tell which are security updates.',
    },
    parameters: {
      maxPending: {
        description: 'Largest number of pending non-security updates accepted.',
        schema: { type: 'integer', minimum: 0 },
        default: DEFAULT_MAX_PENDING,
      },
    },
  },
  appliesTo({ host }) {
    return host.updates === undefined ? notEvaluated(host, UPDATES_KEYS, 'pending updates') : undefined;
  },
  evaluate({ host }, ctx) {
    if (host.updates === undefined) return [];
    const max = maxPending(ctx);
    const ordinary = host.updates.pending.filter((update) => !update.security);
    if (ordinary.length <= max) return [];
    const unclassified = host.notCollected['updates.security'] !== undefined;
    return [
      {
        messageId: unclassified ? 'updates-pending-unclassified' : 'updates-pending',
        data: { name: host.name, count: ordinary.length, maxPending: max },
        evidence: {
          source: 'pending updates',
          path: 'updates.pending',
          observed: ordinary.map((update) => ({ name: update.name, installed: update.installed, candidate: update.candidate })),
          expected: `at most ${max} pending non-security updates`,
        },
        key: 'pending',
      },
    ];
  },
});

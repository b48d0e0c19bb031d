// Risk: stale package lists hide every update published since they were
// fetched, so "no pending security updates" may simply be out of date.
import { defineCheck, type EvaluationContext } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const UPDATES_KEYS = ['updates'];
// `metadata-age` is the probe section; `updates.metadataAgeSeconds` is how the
// SSH checker keys the missing part of `updates`.
const AGE_KEYS = ['metadata-age', 'updates.metadataAgeSeconds', 'updates'];
const DEFAULT_MAX_AGE_HOURS = 48;
const HOUR_S = 3600;

function maxAgeHours(ctx: EvaluationContext): number {
  const value = ctx.params['maxMetadataAgeHours'];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_MAX_AGE_HOURS;
}

export default defineCheck({
  id: 'vm/package-metadata-fresh',
  target: 'host',
  meta: {
    title: 'Package metadata is fresh enough to trust pending-update results',
    description:
      'palisade reads pending and security updates from the host\'s own package metadata (apt lists, the dnf or ' +
      'zypper repository cache, the apk index) and never refreshes it, because a scan must not write to the host. ' +
      'When that metadata is days old, updates published since are invisible: the patching checks can report ' +
      'nothing pending on a host that is missing this week\'s fixes. A finding here means those results cannot be ' +
      'trusted until the metadata is refreshed on the host.',
    layer: 'patching',
    severity: 'medium',
    remediation:
      'Refresh package metadata regularly on the host. Debian/Ubuntu: `apt-get update`, and keep `apt-daily.timer` ' +
      'enabled (`systemctl enable --now apt-daily.timer`, `APT::Periodic::Update-Package-Lists "1"`). RHEL, Rocky, ' +
      'Alma, Fedora, Amazon Linux: `dnf makecache` and `systemctl enable --now dnf-makecache.timer`. SUSE: `zypper ' +
      'refresh` (enable the repositories\' autorefresh with `zypper modifyrepo --all --refresh`). Alpine: `apk ' +
      'update` from a script in /etc/periodic/daily. Then scan again.',
    references: [
      'cwe:1104',
      'nist-800-53:SI-2',
      'https://manpages.debian.org/bookworm/apt/apt.conf.5.en.html',
      'https://dnf.readthedocs.io/en/latest/command_ref.html',
    ],
    messages: {
      'metadata-stale':
        'Package metadata on {{name}} is {{ageHours}} hours old (more than {{maxHours}}): its pending and security update results cannot be trusted.',
    },
    parameters: {
      maxMetadataAgeHours: {
        description: 'Largest accepted age of the package metadata, in hours.',
        schema: { type: 'number', minimum: 0 },
        default: DEFAULT_MAX_AGE_HOURS,
      },
    },
  },
  appliesTo({ host }) {
    if (host.updates === undefined) return notEvaluated(host, UPDATES_KEYS, 'pending updates');
    if (host.updates.metadataAgeSeconds === undefined) return notEvaluated(host, AGE_KEYS, 'the age of the package metadata');
    return undefined;
  },
  evaluate({ host }, ctx) {
    const age = host.updates?.metadataAgeSeconds;
    if (age === undefined) return [];
    const max = maxAgeHours(ctx);
    if (age <= max * HOUR_S) return [];
    return [
      {
        messageId: 'metadata-stale',
        data: { name: host.name, ageHours: Math.floor(age / HOUR_S), maxHours: max },
        evidence: {
          source: 'package metadata',
          path: 'updates.metadataAgeSeconds',
          observed: age,
          expected: `at most ${max * HOUR_S} seconds (${max} hours)`,
        },
      },
    ];
  },
});

// Risk: a Docker Engine release with a known vulnerability (authorization
// bypass, data directory exposure) stays exploitable until it is upgraded.
import { defineCheck } from '../../src/model/check.js';
import {
  assessComponentVersion,
  HOST_JUDGEMENT_MESSAGES,
  hostPackageViolations,
  judgeFromHost,
  notJudgeableReason,
  rangeText,
  type ComponentLabels,
} from '../../src/lib/component-version.js';
import { DOCKER_VULNERABLE_VERSIONS } from '../../src/data/docker-vulnerable-versions.js';

const LABELS: ComponentLabels = {
  name: 'Docker Engine',
  field: '/version Version',
  packageQuery: '`dpkg -s docker.io` and `apt changelog docker.io`, or `rpm -q --changelog moby-engine`',
};

export default defineCheck({
  id: 'docker/engine-version-not-vulnerable',
  target: 'engine',
  meta: {
    title: 'Docker Engine version is not affected by known advisories',
    description:
      'Compares the engine version with a bundled list of notable Docker Engine (moby) security advisories, such as ' +
      'CVE-2024-41110 (authorization plugin bypass) and CVE-2021-41091 (data directory permissions). Each advisory ' +
      'that covers the version is a finding naming the first fixed release on its line. Distribution builds ' +
      '(`+dfsg`, `-0ubuntu`, `.el9`, SUSE `-ce`...) carry backported fixes the version string does not show; they are ' +
      'not judged here but reported as not applicable, with the advisories their upstream version would have.',
    layer: 'patching',
    severity: 'high',
    remediation:
      'Upgrade Docker Engine to the fixed release named in the finding or later (the `docker-ce` package from ' +
      'download.docker.com, or your distribution\'s security update for `docker.io` / `moby-engine`); with ' +
      '`"live-restore": true` in daemon.json the upgrade does not stop containers. There is no `docker run` flag or ' +
      'Compose key for this.',
    references: [
      'cis-docker-1.6.0:1.2.2',
      'cwe:1395',
      'https://docs.docker.com/security/security-announcements/',
      'https://github.com/moby/moby/security/advisories',
    ],
    messages: {
      ...HOST_JUDGEMENT_MESSAGES,
      vulnerable: '{{component}} {{installed}} is affected by {{id}} ({{aliases}}): {{summary}}. Fixed in {{fixed}}.',
      'vulnerable-critical':
        '{{component}} {{installed}} is affected by critical {{id}} ({{aliases}}): {{summary}}. Fixed in {{fixed}}.',
    },
  },
  appliesTo({ engine }) {
    const assessment = assessComponentVersion('engine', engine.versions.engine, DOCKER_VULNERABLE_VERSIONS);
    // A distribution build is judged from its host's package state when palisade scanned that host.
    if (assessment.kind === 'distribution' && judgeFromHost('engine', engine.hostPackages)) return undefined;
    return notJudgeableReason(assessment, LABELS);
  },
  evaluate({ engine }) {
    const assessment = assessComponentVersion('engine', engine.versions.engine, DOCKER_VULNERABLE_VERSIONS);
    if (assessment.kind === 'distribution') return hostPackageViolations('engine', LABELS, engine, assessment.version.raw);
    if (assessment.kind !== 'upstream') return [];
    return assessment.matches.map(({ advisory, range }) => ({
      messageId: advisory.severity === 'critical' ? 'vulnerable-critical' : 'vulnerable',
      data: {
        component: LABELS.name,
        installed: assessment.version.raw,
        id: advisory.id,
        aliases: advisory.aliases.join(', '),
        summary: advisory.summary,
        affected: rangeText(range),
        fixed: range.fixed,
        source: advisory.source,
      },
      evidence: { source: 'engine version', path: 'Version', observed: assessment.version.raw, expected: `>=${range.fixed}` },
      key: advisory.id,
    }));
  },
});

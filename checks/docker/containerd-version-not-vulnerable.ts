// Risk: a containerd release with a known vulnerability (shim API exposure,
// host file access, UID overflow to root) stays exploitable until upgraded.
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
  name: 'containerd',
  field: '/version Components[containerd].Version',
  packageQuery: '`dpkg -s containerd` and `apt changelog containerd`, or `rpm -q --changelog containerd`',
};

export default defineCheck({
  id: 'docker/containerd-version-not-vulnerable',
  target: 'engine',
  meta: {
    title: 'containerd version is not affected by known advisories',
    description:
      'Compares the containerd version the engine reports with a bundled list of notable containerd security ' +
      'advisories, such as CVE-2020-15257 (shim API reachable from host-network containers) and CVE-2024-40635 (UID ' +
      'overflow runs the container as root). Each advisory that covers the version is a finding naming the first ' +
      'fixed release on its line. Distribution builds (`~ds1`, `-0ubuntu`, `.el9`...) carry backported fixes the ' +
      'version string does not show; they are not judged here but reported as not applicable, with the advisories ' +
      'their upstream version would have.',
    layer: 'patching',
    severity: 'high',
    remediation:
      'Upgrade containerd to the fixed release named in the finding or later (the `containerd.io` package from ' +
      'download.docker.com, or your distribution\'s security update for `containerd`), then restart containers: ' +
      'running ones keep the shim they were started with. There is no `docker run` flag or Compose key for this.',
    references: [
      'cis-docker-1.6.0:1.2.2',
      'cwe:1395',
      'https://github.com/containerd/containerd/security/advisories',
    ],
    messages: {
      ...HOST_JUDGEMENT_MESSAGES,
      vulnerable: '{{component}} {{installed}} is affected by {{id}} ({{aliases}}): {{summary}}. Fixed in {{fixed}}.',
      'vulnerable-critical':
        '{{component}} {{installed}} is affected by critical {{id}} ({{aliases}}): {{summary}}. Fixed in {{fixed}}.',
    },
  },
  appliesTo({ engine }) {
    const assessment = assessComponentVersion('containerd', engine.versions.containerd, DOCKER_VULNERABLE_VERSIONS);
    // A distribution build is judged from its host's package state when palisade scanned that host.
    if (assessment.kind === 'distribution' && judgeFromHost('containerd', engine.hostPackages)) return undefined;
    return notJudgeableReason(assessment, LABELS);
  },
  evaluate({ engine }) {
    const assessment = assessComponentVersion('containerd', engine.versions.containerd, DOCKER_VULNERABLE_VERSIONS);
    if (assessment.kind === 'distribution') return hostPackageViolations('containerd', LABELS, engine, assessment.version.raw);
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
      evidence: { source: 'engine version', path: 'Components[containerd].Version', observed: assessment.version.raw, expected: `>=${range.fixed}` },
      key: advisory.id,
    }));
  },
});

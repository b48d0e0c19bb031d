// Risk: a containerd release with a known vulnerability (shim API exposure,
// host file access, UID overflow to root) stays exploitable until upgraded.
import { defineCheck } from '../../src/model/check.js';
import {
  VERSION_MESSAGES,
  versionNotApplicable,
  versionViolations,
  type ComponentLabels,
  type VersionCheckSpec,
} from '../../src/lib/component-version.js';

const LABELS: ComponentLabels = {
  name: 'containerd',
  field: '/version Components[containerd].Version',
  packageQuery: '`dpkg -s containerd` and `apt changelog containerd`, or `rpm -q --changelog containerd`',
};

const SPEC: VersionCheckSpec = {
  component: 'containerd',
  labels: LABELS,
  evidencePath: 'Components[containerd].Version',
  reported: (engine) => engine.versions.containerd,
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
    messages: VERSION_MESSAGES,
  },
  appliesTo: ({ engine }) => versionNotApplicable(SPEC, engine),
  evaluate: ({ engine }) => versionViolations(SPEC, engine),
});

// Risk: a runc release with a known container-escape vulnerability lets a
// malicious image or container process take over the host.
import { defineCheck } from '../../src/model/check.js';
import {
  VERSION_MESSAGES,
  versionNotApplicable,
  versionViolations,
  type ComponentLabels,
  type VersionCheckSpec,
} from '../../src/lib/component-version.js';

const LABELS: ComponentLabels = {
  name: 'runc',
  field: '/version Components[runc].Version',
  packageQuery: '`dpkg -s runc` and `apt changelog runc`, or `rpm -q --changelog runc`',
};

const SPEC: VersionCheckSpec = {
  component: 'runc',
  labels: LABELS,
  evidencePath: 'Components[runc].Version',
  reported: (engine) => engine.versions.runc,
};

export default defineCheck({
  id: 'docker/runc-version-not-vulnerable',
  target: 'engine',
  meta: {
    title: 'runc version is not affected by known container-escape advisories',
    description:
      'runc sets up every container, and its bugs are container escapes: CVE-2019-5736 (overwrite the host runc ' +
      'binary), CVE-2024-21626 ("Leaky Vessels", a leaked host directory descriptor), and the November 2025 ' +
      'CVE-2025-31133, CVE-2025-52565 and CVE-2025-52881 (mount races that reach host procfs). Compares the runc ' +
      'version the engine reports with a bundled list of such advisories; each one that covers the version is a ' +
      'finding naming the first fixed release on its line. Distribution builds (`+ds1`, `-0ubuntu`, `.el9`...) carry ' +
      'backported fixes the version string does not show; they are not judged here but reported as not applicable, ' +
      'with the advisories their upstream version would have.',
    layer: 'patching',
    severity: 'critical',
    remediation:
      'Upgrade runc to the fixed release named in the finding or later (Docker\'s `containerd.io` package from ' +
      'download.docker.com ships runc; otherwise install your distribution\'s security update for `runc`). Until ' +
      'then, user-namespace remapping (daemon.json `"userns-remap": "default"`) and `docker run --security-opt ' +
      'no-new-privileges:true` (Compose: `security_opt: ["no-new-privileges:true"]`) with a non-root `--user` blunt ' +
      'most of these escapes.',
    references: [
      'cis-docker-1.6.0:1.2.2',
      'cwe:1395',
      'https://github.com/opencontainers/runc/security/advisories',
    ],
    messages: VERSION_MESSAGES,
  },
  appliesTo: ({ engine }) => versionNotApplicable(SPEC, engine),
  evaluate: ({ engine }) => versionViolations(SPEC, engine),
});

// Risk: a Docker Engine release with a known vulnerability (authorization
// bypass, data directory exposure) stays exploitable until it is upgraded.
import { defineCheck } from '../../src/model/check.js';
import {
  VERSION_MESSAGES,
  versionNotApplicable,
  versionViolations,
  type ComponentLabels,
  type VersionCheckSpec,
} from '../../src/lib/component-version.js';

const LABELS: ComponentLabels = {
  name: 'Docker Engine',
  field: '/version Version',
  packageQuery: '`dpkg -s docker.io` and `apt changelog docker.io`, or `rpm -q --changelog moby-engine`',
};

const SPEC: VersionCheckSpec = {
  component: 'engine',
  labels: LABELS,
  evidencePath: 'Version',
  reported: (engine) => engine.versions.engine,
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
    messages: VERSION_MESSAGES,
  },
  appliesTo: ({ engine }) => versionNotApplicable(SPEC, engine),
  evaluate: ({ engine }) => versionViolations(SPEC, engine),
});

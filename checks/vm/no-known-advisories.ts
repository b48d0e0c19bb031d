// Risk: an installed package matched by a published advisory (DSA, USN, RHSA,
// ALSA, CVE) carries a known vulnerability an attacker can look up.
import { defineCheck, type Violation } from '../../src/model/check.js';
import type { AdvisoryMatchFacts } from '../../src/model/facts.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const PACKAGES_KEYS = ['packages'];
const ADVISORIES_KEYS = ['advisories'];

function advisoryKey(match: AdvisoryMatchFacts): string {
  return `${match.id}:${match.packageName}`;
}

export default defineCheck({
  id: 'vm/no-known-advisories',
  target: 'host',
  meta: {
    title: 'No installed package is affected by a known advisory',
    description:
      'Installed source packages are matched against an offline directory of OSV advisories for the host\'s ' +
      'distribution (`Debian:12`, `Ubuntu:22.04:LTS`, `Rocky Linux:9`, `Alpine:v3.20`...), ordering versions the ' +
      'way dpkg, rpm or apk does. Unlike pending updates this does not depend on the host\'s package metadata being ' +
      'fresh, and it also finds vulnerable packages whose fix the host\'s repositories do not offer. Without an ' +
      'advisory directory the check is not evaluated.',
    layer: 'patching',
    severity: 'high',
    remediation:
      'Upgrade the package to the fixed version named in the finding or later: Debian/Ubuntu `apt-get install ' +
      '--only-upgrade <package>`, RHEL family `dnf upgrade --advisory=<id>` (or `dnf upgrade <package>`), SUSE ' +
      '`zypper patch` or `zypper update <package>`, Alpine `apk upgrade <package>`. Where no fix exists yet, remove ' +
      'the package or mitigate as the advisory describes and record a waiver. To evaluate this check, run `palisade ' +
      'advisories fetch` and scan with `--advisories DIR`.',
    references: ['cwe:1395', 'nist-800-53:SI-2', 'https://ossf.github.io/osv-schema/', 'https://osv.dev/'],
    messages: {
      advisory:
        '{{package}} {{installed}} on {{name}} is affected by {{id}} ({{ecosystem}}): {{summary}}. Fixed in {{fixed}}.',
      'advisory-no-fix':
        '{{package}} {{installed}} on {{name}} is affected by {{id}} ({{ecosystem}}): {{summary}}. No fixed version is published.',
    },
  },
  appliesTo({ host }) {
    // Matching needs the installed packages: an empty match list without them proves nothing.
    if (host.packages === undefined) return notEvaluated(host, PACKAGES_KEYS, 'installed packages');
    if (host.advisories === undefined) {
      if (ADVISORIES_KEYS.some((key) => host.notCollected[key] !== undefined)) {
        return notEvaluated(host, ADVISORIES_KEYS, 'advisory matches');
      }
      return 'not evaluated: no advisory directory was given; run `palisade advisories fetch` and scan with `--advisories DIR`';
    }
    return undefined;
  },
  evaluate({ host }) {
    const seen = new Set<string>();
    const violations: Violation[] = [];
    for (const match of host.advisories ?? []) {
      const key = advisoryKey(match);
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push({
        messageId: match.fixedVersion === undefined ? 'advisory-no-fix' : 'advisory',
        data: {
          name: host.name,
          id: match.id,
          aliases: match.aliases.join(', '),
          summary: match.summary ?? 'no summary',
          severity: match.severity ?? 'unknown',
          ecosystem: match.ecosystem,
          package: match.packageName,
          installed: match.installedVersion,
          fixed: match.fixedVersion ?? 'none',
        },
        evidence: {
          source: 'OSV advisories',
          path: `advisories[${key}]`,
          observed: { package: match.packageName, installed: match.installedVersion, ecosystem: match.ecosystem },
          expected: match.fixedVersion === undefined ? 'package removed or mitigated' : `${match.fixedVersion} or later`,
        },
        key,
      });
    }
    return violations;
  },
});

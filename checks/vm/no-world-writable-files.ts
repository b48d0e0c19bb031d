// Risk: a world-writable file in a system path lets any local user, or any
// compromised service account, change what root later reads or runs.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const WORLD_WRITABLE_KEYS = ['world-writable', 'worldWritable'];
// Past this many paths one summary stands for the rest, so a badly broken host
// does not flood the report.
const MAX_REPORTED = 50;

export default defineCheck({
  id: 'vm/no-world-writable-files',
  target: 'host',
  meta: {
    title: 'No world-writable files in system paths',
    description:
      'Files under /etc, /usr, /bin, /sbin, /lib, /lib64 and /boot are read or executed by root and by services. ' +
      'If any user can write one (mode o+w), or can create files in a directory without the sticky bit, any local ' +
      'account or compromised service can plant code or configuration that root will run: a direct privilege ' +
      'escalation. The search needs root to see every directory; without it the check is not evaluated rather than ' +
      'passed on a partial list. At most 50 paths are listed; one more finding gives the count of the rest.',
    layer: 'least-privilege',
    severity: 'medium',
    remediation:
      'Remove the write bit for others: `chmod o-w <path>`; for a directory that must be shared, set the sticky bit ' +
      '(`chmod +t <dir>`). Find the owning package and restore its permissions: Debian/Ubuntu `dpkg -S <path>` then ' +
      '`apt-get install --reinstall <package>`; RHEL family and SUSE `rpm -qf <path>` then `rpm --setperms ' +
      '<package>` (check with `rpm -Va`); Alpine `apk info --who-owns <path>` then `apk fix <package>`. List them ' +
      'all with `find /etc /usr /bin /sbin /lib /lib64 /boot -xdev \\( -type f -perm -0002 -o -type d -perm -0002 ! ' +
      '-perm -1000 \\) -print`.',
    references: ['cwe:732', 'cwe:276', 'nist-800-53:AC-6', 'https://man7.org/linux/man-pages/man1/chmod.1.html'],
    messages: {
      'world-writable': '{{path}} on {{name}} is writable by every user.',
      'more-world-writable': '{{count}} more world-writable paths on {{name}} are not listed individually.',
    },
  },
  appliesTo({ host }) {
    return host.worldWritable === undefined ? notEvaluated(host, WORLD_WRITABLE_KEYS, 'every system path for world-writable files', true) : undefined;
  },
  evaluate({ host }) {
    const paths = [...new Set(host.worldWritable ?? [])];
    const violations: Violation[] = paths.slice(0, MAX_REPORTED).map((path) => ({
      messageId: 'world-writable',
      data: { name: host.name, path },
      evidence: {
        source: 'find (system paths)',
        path: 'worldWritable',
        observed: path,
        expected: 'not writable by others (o-w), or a sticky directory',
      },
      key: path,
    }));
    const rest = paths.slice(MAX_REPORTED);
    if (rest.length > 0) {
      violations.push({
        messageId: 'more-world-writable',
        data: { name: host.name, count: rest.length },
        evidence: { source: 'find (system paths)', path: 'worldWritable', observed: rest, expected: 'none' },
        key: 'more',
      });
    }
    return violations;
  },
});

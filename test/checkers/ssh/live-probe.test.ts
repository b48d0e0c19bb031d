// Runs the real probe script with the local sh (no SSH) and parses what it
// prints: the script, the section splitter and the builder agree on a real host.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

import { beforeAll, describe, expect, it } from 'vitest';

import { buildHostFacts } from '../../../src/checkers/ssh/host-facts.js';
import { parseOsRelease } from '../../../src/checkers/ssh/parsers/os-release.js';
import { PROBE_SECTION_NAMES, buildProbeScript } from '../../../src/checkers/ssh/probe.js';
import { splitProbeOutput } from '../../../src/checkers/ssh/sections.js';
import type { ProbeOutput } from '../../../src/checkers/ssh/sections.js';
import type { HostFacts } from '../../../src/model/facts.js';
import { TARGET } from './fixtures.js';

const REQUIRE = process.env['PALISADE_REQUIRE_INTEGRATION'] === '1';
const IS_ROOT = process.getuid?.() === 0;
const HAS_SETPRIV = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).status === 0;
const HAS_APT = spawnSync('sh', ['-c', 'command -v apt-get && command -v dpkg-query'], { encoding: 'utf8' }).status === 0;

function runProbe(options: { sudo: boolean; asNobody?: boolean }): string {
  const argv = options.asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-s'] : ['sh', '-s'];
  const result = spawnSync(argv[0]!, argv.slice(1), {
    input: buildProbeScript({ sudo: options.sudo }),
    cwd: '/',
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('src/checkers/ssh/probe on this machine', () => {
  let probe: ProbeOutput;
  let host: HostFacts;

  beforeAll(() => {
    probe = splitProbeOutput(runProbe({ sudo: false }));
    host = buildHostFacts(probe, TARGET);
  }, 600_000);

  it('prints every section, complete, and finishes', () => {
    expect(probe.started).toBe(true);
    expect(probe.finished).toBe(true);
    expect(probe.warnings).toEqual([]);
    expect([...probe.sections.keys()]).toEqual(PROBE_SECTION_NAMES);
    for (const section of probe.sections.values()) expect(section.complete, section.name).toBe(true);
  });

  it('identifies the OS as /etc/os-release says', () => {
    const release = parseOsRelease(readFileSync(existsSync('/etc/os-release') ? '/etc/os-release' : '/usr/lib/os-release', 'utf8'));

    expect(host.os.id).toBe(release['ID']);
    expect(host.os.versionId).toBe(release['VERSION_ID'] ?? '');
    expect(host.kernel.release).toBe(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
  });

  it('reads the privilege it ran with', () => {
    expect(host.privilege.root).toBe(IS_ROOT);
    for (const name of ['sshd', 'firewall-nft', 'world-writable', 'empty-passwords']) {
      expect(probe.sections.get(name)?.how, name).toBe(IS_ROOT ? 'root' : 'skipped');
    }
  });

  it.runIf(HAS_APT)('lists the packages dpkg lists and the security updates apt lists', () => {
    const dpkg = execFileSync('dpkg-query', ['-W', '-f=${Package}\\t${db:Status-Abbrev}\\n'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => /\t.[iUFWth]/.test(l));
    const upgradable = execFileSync('apt', ['list', '--upgradable'], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .map((l) => /^([^/\s]+)\/(\S+) /.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    const aptSecurity = upgradable.filter((m) => m[2]!.split(',').some((s) => s.endsWith('-security'))).map((m) => m[1]);

    expect(host.packages).toHaveLength(dpkg.length);
    // apt list also shows packages dist-upgrade keeps back (held, phased), so
    // the probe's list is a subset of it; the security updates must match.
    const upgradableNames = new Set(upgradable.map((m) => m[1]));
    for (const p of host.updates?.pending ?? []) expect(upgradableNames.has(p.name), p.name).toBe(true);
    expect(
      host.updates?.pending
        .filter((p) => p.security)
        .map((p) => p.name)
        .sort(),
    ).toEqual(aptSecurity.sort());
  });

  // Needs root and setpriv to run the probe as an unprivileged user; skipped only
  // outside CI (PALISADE_REQUIRE_INTEGRATION=1 makes it fail instead).
  it.skipIf(!REQUIRE && !(IS_ROOT && HAS_SETPRIV))(
    'as a user without sudo, reports the root sections as needing root',
    () => {
      expect(IS_ROOT && HAS_SETPRIV, 'needs root and setpriv to switch to nobody').toBe(true);

      const asUser = buildHostFacts(splitProbeOutput(runProbe({ sudo: true, asNobody: true })), TARGET);

      expect(asUser.privilege.root).toBe(false);
      for (const key of ['sshd', 'firewall', 'worldWritable', 'emptyPasswordAccounts'] as const) {
        expect(asUser[key], key).toBeUndefined();
        expect(asUser.notCollected[key]?.reason, key).toBe('needs-root');
      }
      expect(asUser.os).toEqual(host.os);
      expect(asUser.packages?.length).toBeGreaterThan(0);
    },
    600_000,
  );
});

import { describe, expect, it } from 'vitest';

import { buildHostFacts } from '../../../src/checkers/ssh/host-facts.js';
import type { ProbeSectionName } from '../../../src/checkers/ssh/probe.js';
import { splitProbeOutput } from '../../../src/checkers/ssh/sections.js';
import type { HostFacts, PendingUpdate } from '../../../src/model/facts.js';
import { TARGET, hostFacts, probeText } from './fixtures.js';

/** A fixture's text with one section replaced: how it ran, its exit code, stdout lines and stderr lines. */
function withSection(
  fixture: string,
  name: ProbeSectionName,
  section: { how?: string; rc: string; out?: readonly string[]; err?: readonly string[] },
): string {
  const text = probeText(fixture);
  const begin = text.indexOf(`@@palisade:begin:${name}:`);
  const endMarker = text.indexOf(`@@palisade:end:${name}:`, begin);
  if (begin === -1 || endMarker === -1) throw new Error(`no section ${name} in ${fixture}`);
  const endLine = text.indexOf('\n', endMarker) + 1;
  const body = [
    `@@palisade:begin:${name}:${section.how ?? 'user'}`,
    ...(section.out ?? []),
    ...(section.err ?? []).map((l) => `@@palisade:err:${l}`),
    '',
    `@@palisade:end:${name}:${section.rc}`,
    '',
  ].join('\n');
  return text.slice(0, begin) + body + text.slice(endLine);
}

function facts(text: string): HostFacts {
  return buildHostFacts(splitProbeOutput(text), TARGET);
}

function security(host: HostFacts): PendingUpdate[] {
  return host.updates?.pending.filter((p) => p.security) ?? [];
}

describe('src/checkers/ssh/host-facts', () => {
  it('carries the inventory target through', () => {
    const host = hostFacts('ubuntu-22.04');

    expect(host).toMatchObject({ name: 'vm1', address: '198.18.0.10', port: 22, segment: 'dmz', tags: ['web'] });
  });

  describe.each([
    {
      fixture: 'debian-12',
      family: 'debian',
      format: 'dpkg',
      packages: 743,
      known: { name: 'libssl3', sourceName: 'openssl', version: '3.0.19-1~deb12u2' },
      update: { name: 'libssl3', installed: '3.0.19-1~deb12u2', candidate: '3.0.22-1~deb12u2', origin: 'Debian-Security:12/oldstable-security' },
      pending: 137,
      securityCount: 87,
      age: 1008,
      notCollected: { 'kernel.newestInstalled': 'failed', rebootRequired: 'command-missing' },
    },
    {
      fixture: 'ubuntu-22.04',
      family: 'debian',
      format: 'dpkg',
      packages: 40,
      known: { name: 'openssh-server', sourceName: 'openssh', version: '1:8.9p1-3ubuntu0.6' },
      update: { name: 'libssl3', installed: '3.0.2-0ubuntu1.14', candidate: '3.0.2-0ubuntu1.15', origin: 'Ubuntu:22.04/jammy-security' },
      pending: 10,
      securityCount: 8,
      age: 14_370,
      notCollected: {},
    },
    {
      fixture: 'rocky-9',
      family: 'rhel',
      format: 'rpm',
      packages: 29,
      known: { name: 'openssl-libs', sourceName: 'openssl', version: '1:3.0.7-27.el9' },
      update: { name: 'openssl-libs', installed: '1:3.0.7-27.el9', candidate: '1:3.0.7-28.el9_4', origin: 'RLSA-2024:3061' },
      pending: 10,
      securityCount: 7,
      age: 86_390,
      notCollected: {},
    },
    {
      fixture: 'fedora-40',
      family: 'rhel',
      format: 'rpm',
      packages: 18,
      known: { name: 'libcurl-minimal', sourceName: 'curl', version: '8.6.0-8.fc40' },
      update: { name: 'curl', installed: '8.6.0-8.fc40', candidate: '8.6.0-9.fc40', origin: 'FEDORA-2024-8fd6ef1fdb' },
      pending: 6,
      securityCount: 5,
      age: 1_300_000,
      notCollected: {},
    },
    {
      fixture: 'amazon-linux-2023',
      family: 'rhel',
      format: 'rpm',
      packages: 16,
      known: { name: 'python3-libs', sourceName: 'python3.9', version: '3.9.16-1.amzn2023.0.7' },
      update: { name: 'openssl-libs', installed: '1:3.0.8-1.amzn2023.0.11', candidate: '1:3.0.8-1.amzn2023.0.12', origin: 'ALAS2023-2024-631' },
      pending: 5,
      securityCount: 5,
      age: 8_390,
      notCollected: { firewall: 'command-missing' },
    },
    {
      fixture: 'alpine-3.20',
      family: 'alpine',
      format: 'apk',
      packages: 17,
      known: { name: 'libssl3', sourceName: 'openssl', version: '3.3.0-r2' },
      update: undefined,
      pending: 4,
      securityCount: 0,
      age: 259_980,
      notCollected: { 'updates.security': 'unsupported-os', rebootRequired: 'unsupported-os' },
    },
    {
      fixture: 'opensuse-leap-15.6',
      family: 'suse',
      format: 'rpm',
      packages: 18,
      known: { name: 'libopenssl3', sourceName: 'openssl-3', version: '3.1.4-150600.5.7.1' },
      update: { name: 'libopenssl3', installed: '3.1.4-150600.5.7.1', candidate: '3.1.4-150600.5.10.1', origin: 'openSUSE-SLE-15.6-2024-2144' },
      pending: 5,
      securityCount: 4,
      age: 100_000,
      notCollected: {},
    },
  ])('$fixture', ({ fixture, family, format, packages, known, update, pending, securityCount, age, notCollected }) => {
    const host = hostFacts(fixture);

    it('identifies the family and package format', () => {
      expect(host.os.family).toBe(family);
      expect(host.packageFormat).toBe(format);
    });

    it('lists the installed packages with version and source', () => {
      expect(host.packages).toHaveLength(packages);
      expect(host.packages?.find((p) => p.name === known.name)).toMatchObject(known);
    });

    it('lists pending updates and which are security updates', () => {
      expect(host.updates?.pending).toHaveLength(pending);
      expect(security(host)).toHaveLength(securityCount);
      if (update) expect(security(host)).toContainEqual({ ...update, security: true });
      for (const p of host.updates?.pending ?? []) {
        expect(p.installed, p.name).not.toBe('');
        expect(p.candidate, p.name).not.toBe('');
      }
    });

    it('measures the age of the package metadata', () => {
      expect(host.updates?.metadataAgeSeconds).toBe(age);
    });

    it('says exactly what it could not collect, and why', () => {
      const reasons = Object.fromEntries(Object.entries(host.notCollected).map(([key, value]) => [key, value.reason]));

      expect(reasons).toEqual(notCollected);
    });
  });

  it.each([
    ['ubuntu-22.04', { release: '5.15.0-105-generic', architecture: 'x86_64', newestInstalled: '5.15.0-107-generic' }],
    ['rocky-9', { release: '5.14.0-427.13.1.el9_4.x86_64', architecture: 'x86_64', newestInstalled: '5.14.0-427.13.1.el9_4.x86_64' }],
    ['alpine-3.20', { release: '6.6.33-0-virt', architecture: 'x86_64', newestInstalled: '6.6.33-0-virt' }],
  ])('reads the running and newest installed kernel of %s', (fixture, kernel) => {
    expect(hostFacts(fixture).kernel).toEqual(kernel);
  });

  it('takes the newest installed kernel as the installed version of a kernel update', () => {
    const host = hostFacts('rocky-9');

    expect(host.updates?.pending.find((p) => p.name === 'kernel-core')).toEqual({
      name: 'kernel-core',
      installed: '5.14.0-427.13.1.el9_4',
      candidate: '5.14.0-427.20.1.el9_4',
      security: true,
      origin: 'RLSA-2024:3501',
    });
  });

  it.each([
    ['ubuntu-22.04', { required: true, packages: ['linux-image-5.15.0-107-generic', 'linux-base'] }],
    ['fedora-40', { required: true, packages: ['kernel', 'systemd'] }],
    ['rocky-9', { required: false, packages: [] }],
  ])('reads whether %s waits for a reboot', (fixture, expected) => {
    expect(hostFacts(fixture).rebootRequired).toEqual(expected);
  });

  it.each([
    ['ubuntu-22.04', { backend: 'nftables', inputPolicy: 'drop', inputRules: 6 }],
    ['rocky-9', { backend: 'nftables', inputPolicy: 'reject', inputRules: 6 }],
    ['fedora-40', { backend: 'none', inputPolicy: 'accept', inputRules: 0 }],
    ['alpine-3.20', { backend: 'iptables', inputPolicy: 'drop', inputRules: 4 }],
    ['opensuse-leap-15.6', { backend: 'nftables', inputPolicy: 'reject', inputRules: 6 }],
    ['debian-12', { backend: 'none', inputPolicy: 'accept', inputRules: 0 }],
  ])('summarises the input firewall of %s', (fixture, firewall) => {
    expect(hostFacts(fixture).firewall).toEqual(firewall);
  });

  it('reads hardening facts', () => {
    const host = hostFacts('rocky-9');

    expect(host.sshd).toMatchObject({ permitrootlogin: 'yes', passwordauthentication: 'yes', permitemptypasswords: 'no' });
    expect(host.worldWritable).toEqual(['/etc/cron.d/legacy-backup', '/usr/share/legacy-app/spool']);
    expect(host.emptyPasswordAccounts).toEqual(['backup']);
    expect(host.ipForwarding).toEqual({ ipv4: false, ipv6: false });
    expect(host.autoUpdates).toMatchObject({ mechanism: 'dnf-automatic', enabled: true });
    expect(host.virtualization).toBe('vmware');
    expect(host.listening).toContainEqual({ protocol: 'tcp', address: '127.0.0.1', port: 5432, process: 'postmaster' });
  });

  describe('privilege', () => {
    it.each([
      ['debian-12', { root: true, sudo: 'not-configured' }],
      ['ubuntu-22.04', { root: false, sudo: 'ok' }],
      ['bad/sudo-password-required', { root: false, sudo: 'password-required' }],
      ['bad/sudo-requiretty', { root: false, sudo: 'requiretty' }],
      ['bad/not-root-no-sudo', { root: false, sudo: 'not-configured' }],
    ])('reads %s', (fixture, privilege) => {
      expect(hostFacts(fixture).privilege).toEqual(privilege);
    });

    it.each([
      ['bad/sudo-password-required', /sudo -n needs a password/],
      ['bad/sudo-requiretty', /requiretty/],
      ['bad/not-root-no-sudo', /sudo is not enabled for this host/],
    ])('leaves every root-only fact of %s undefined and says it needs root', (fixture, detail) => {
      const host = hostFacts(fixture);

      for (const key of ['sshd', 'firewall', 'worldWritable', 'emptyPasswordAccounts'] as const) {
        expect(host[key], key).toBeUndefined();
        expect(host.notCollected[key]?.reason, key).toBe('needs-root');
        expect(host.notCollected[key]?.detail, key).toMatch(detail);
      }
      expect(host.packages?.length).toBeGreaterThan(0);
      expect(host.listening?.length).toBeGreaterThan(0);
    });

    it('reports sudo missing from the host as denied', () => {
      const text = withSection('bad/not-root-no-sudo', 'sudo', { rc: '127', out: ['sudo missing'] });

      const host = facts(text);

      expect(host.privilege).toEqual({ root: false, sudo: 'denied' });
    });

    it('reads a command sudo refused as needing root, not as a failure', () => {
      const text = withSection('ubuntu-22.04', 'sshd', {
        how: 'sudo',
        rc: '1',
        err: ["Sorry, user ubuntu is not allowed to execute '/usr/sbin/sshd -T' as root on web1."],
      });

      const host = facts(text);

      expect(host.sshd).toBeUndefined();
      expect(host.notCollected['sshd']).toEqual({
        reason: 'needs-root',
        detail: "sshd: sudo refused: Sorry, user ubuntu is not allowed to execute '/usr/sbin/sshd -T' as root on web1.",
      });
    });
  });

  describe('missing facts never look clean', () => {
    it.each([
      ['sshd is not installed', 'sshd', { how: 'root', rc: '127' }, 'sshd', 'command-missing'],
      ['find timed out', 'world-writable', { how: 'sudo', rc: '0', out: ['/etc/a', 'find-exit 124'] }, 'worldWritable', 'failed'],
      ['find did not finish', 'world-writable', { how: 'sudo', rc: '0', out: ['/etc/a'] }, 'worldWritable', 'failed'],
      ['the package list hit the byte bound', 'packages-dpkg', { rc: '141', out: ['adduser\tadduser\t3.118\t3.118\tall\tii '] }, 'packages', 'failed'],
      ['ss and netstat are missing', 'listening', { how: 'sudo', rc: '127' }, 'listening', 'command-missing'],
      ['sshd -T printed nothing', 'sshd', { how: 'sudo', rc: '0' }, 'sshd', 'failed'],
      ['apt printed no summary', 'updates-apt', { rc: '0', out: ['E: Could not open lock file'] }, 'updates', 'failed'],
      ['the forwarding switches are unreadable', 'ip-forwarding', { rc: '0' }, 'ipForwarding', 'failed'],
      ['nft printed nonsense', 'firewall-nft', { how: 'sudo', rc: '0', out: ['Error: syntax error'] }, 'firewall', 'failed'],
      ['nft failed', 'firewall-nft', { how: 'sudo', rc: '1', err: ['netlink: Error: cache initialization failed: Operation not permitted'] }, 'firewall', 'failed'],
    ] as const)('when %s', (_label, section, replacement, key, reason) => {
      const text = withSection('ubuntu-22.04', section, replacement);

      const host = facts(text);

      expect(host[key as keyof HostFacts]).toBeUndefined();
      expect(host.notCollected[key]?.reason).toBe(reason);
    });

    it('keeps a world-writable list cut at the bound', () => {
      const paths = Array.from({ length: 1001 }, (_, i) => `/etc/w${i}`);
      const text = withSection('ubuntu-22.04', 'world-writable', { how: 'sudo', rc: '0', out: paths });

      const host = facts(text);

      expect(host.worldWritable).toHaveLength(1000);
      expect(host.notCollected['worldWritable']).toBeUndefined();
    });

    it('does not trust an empty update list when the host has no package metadata', () => {
      const text = withSection('ubuntu-22.04', 'metadata-age', { rc: '0', out: ['now 1718013600'] });

      const host = facts(text);

      expect(host.updates).toBeUndefined();
      expect(host.notCollected['updates']).toMatchObject({ reason: 'failed', detail: expect.stringContaining('no package metadata') });
    });

    it('trusts dnf without cache files at the usual paths, but reports the age as unknown', () => {
      const text = withSection('rocky-9', 'metadata-age', { rc: '0', out: ['now 1718010000'] });

      const host = facts(text);

      expect(host.updates?.pending).toHaveLength(10);
      expect(host.updates?.metadataAgeSeconds).toBeUndefined();
      expect(host.notCollected['updates.metadataAgeSeconds']?.reason).toBe('failed');
    });

    it('keeps pending updates but flags the classification when dnf updateinfo fails', () => {
      const text = withSection('rocky-9', 'updates-dnf-security', {
        rc: '1',
        err: ["Error: Cache-only enabled but no cache for 'baseos'"],
      });

      const host = facts(text);

      expect(host.updates?.pending).toHaveLength(10);
      expect(security(host)).toEqual([]);
      expect(host.notCollected['updates.security']).toEqual({
        reason: 'failed',
        detail: "updates-dnf-security: exited 1: Error: Cache-only enabled but no cache for 'baseos'",
      });
    });

    it('flags the classification when a needed security patch has no package list', () => {
      const text = withSection('opensuse-leap-15.6', 'updates-zypper-patch-info', {
        rc: '0',
        out: ['Information for patch openSUSE-SLE-15.6-2024-2144:', 'Status      : needed', 'Category    : security', 'Conflicts   : [1]', '    libopenssl3.x86_64 < 3.1.4-150600.5.10.1'],
      });

      const host = facts(text);

      expect(security(host).map((p) => p.name)).toEqual(['libopenssl3']);
      expect(host.notCollected['updates.security']?.detail).toContain('openSUSE-SLE-15.6-2024-2203');
    });

    it('reports an unrecognised OS as unsupported instead of guessing', () => {
      const text = withSection('debian-12', 'os-release', { rc: '0', out: ['ID=plan9', 'VERSION_ID=4'] });

      const host = facts(text);

      expect(host.os).toMatchObject({ id: 'plan9', family: 'unknown' });
      expect(host.packages).toBeUndefined();
      expect(host.packageFormat).toBeUndefined();
      expect(host.notCollected['packages']?.reason).toBe('unsupported-os');
      expect(host.notCollected['updates']?.reason).toBe('unsupported-os');
    });

    it('turns a truncated probe into failures for every section it lost', () => {
      const host = hostFacts('bad/truncated');

      expect(host.os.family).toBe('debian');
      expect(host.packages).toBeUndefined();
      expect(host.notCollected['packages']).toEqual({ reason: 'failed', detail: 'packages-dpkg: output cut off before the section ended' });
      expect(host.notCollected['sshd']).toEqual({
        reason: 'failed',
        detail: 'sshd: no such section in the probe output (the probe output ended early)',
      });
    });

    it('survives garbage and keeps only what parses', () => {
      const host = hostFacts('bad/garbage');

      expect(host.os).toMatchObject({ id: 'debian', family: 'debian' });
      expect(host.kernel).toEqual({ release: '', architecture: '' });
      expect(host.listening).toEqual([{ protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' }]);
      expect(host.worldWritable).toBeUndefined();
      expect(Object.keys(host.notCollected).sort()).toEqual(
        [
          'autoUpdates',
          'emptyPasswordAccounts',
          'firewall',
          'ipForwarding',
          'kernel',
          'kernel.newestInstalled',
          'packages',
          'privilege',
          'rebootRequired',
          'sshd',
          'updates',
          'updates.metadataAgeSeconds',
          'virtualization',
          'worldWritable',
        ].sort(),
      );
    });

    it('builds facts from output that is not a probe at all', () => {
      const host = buildHostFacts(splitProbeOutput('Permission denied (publickey).\n'), TARGET);

      expect(host.os.family).toBe('unknown');
      expect(host.notCollected['os']?.reason).toBe('failed');
      expect(host.packages).toBeUndefined();
    });
  });
});

import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { DEFAULT_KNOWN_HOSTS, FIXTURES, host, load, loadError } from './helpers.js';

const home = path.join(FIXTURES, 'ssh-config/home');
const ssh = path.join(home, '.ssh');
const config = path.join(ssh, 'config');
const loadConfig = (): ReturnType<typeof load> => load('ssh-config/home/.ssh/config', { homeDir: home });

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const BASTION_HOP = { name: 'bastion', address: '198.51.100.7', port: 2201, user: 'jumper', identityFile: path.join(ssh, 'bastion_ed25519') };

describe('src/inventory/ssh-config', () => {
  it('makes each concrete Host alias a host, Include files read in place, wildcard-only blocks not targets', () => {
    const inventory = loadConfig();

    expect(inventory.format).toBe('ssh-config');
    expect(inventory.hosts.map((h) => [h.name, path.relative(ssh, h.source.file), h.source.line])).toEqual([
      ['app1', 'conf.d/10-app.conf', 1],
      ['cache1', 'conf.d/20-cache.conf', 1],
      ['cache2', 'conf.d/20-cache.conf', 5],
      ['bastion', 'config', 5],
      ['web1', 'config', 11],
      ['web2', 'config', 11],
      ['db1', 'config', 15],
      ['direct', 'config', 21],
      ['deep', 'config', 26],
    ]);
    expect(inventory.engines).toEqual([]);
  });

  it.each([
    ['bastion', { address: '198.51.100.7', port: 2201, user: 'jumper', identityFile: path.join(ssh, 'bastion_ed25519'), connectTimeoutMs: 7000 }],
    // %h in HostName; User and IdentityFile from `Host *`, since no earlier block set them.
    ['web1', { address: 'web1.internal.example.com', port: 22, user: 'default-user', identityFile: path.join(ssh, 'id_ed25519') }],
    // `Key=Value` and `Key = Value` forms.
    ['app1', { address: '10.0.4.1', port: 2022, user: 'appuser' }],
    // A quoted IdentityFile with a space; `Host * !direct` excludes it, so the default timeout stays.
    ['direct', { identityFile: path.join(ssh, 'direct key'), connectTimeoutMs: 10_000 }],
    ['cache1', { address: '10.0.5.1', sudo: false, tags: [], commandTimeoutMs: 120_000 }],
  ])('applies first-obtained-value-wins settings to %s', (name, expected) => {
    const inventory = loadConfig();

    expect(host(inventory, name)).toMatchObject(expected);
  });

  it.each([
    ['bastion', []],
    ['web1', [BASTION_HOP]],
    // A user@host:port hop is looked up in the config too (User from `Host *.example.com` is overridden by admin@).
    ['db1', [{ name: 'admin@gw.example.com:2222', address: 'gw.example.com', port: 2222, user: 'admin', identityFile: path.join(ssh, 'id_ed25519') }, BASTION_HOP]],
    // `ProxyJump none` is obtained first and wins.
    ['direct', []],
    // The first hop's own ProxyJump (from `Host *.hidden.example.com`) is followed.
    ['deep', [BASTION_HOP, { name: 'ops@x.hidden.example.com', address: 'x.hidden.example.com', port: 22, user: 'ops', identityFile: path.join(ssh, 'id_ed25519') }]],
    // `ProxyCommand ssh -W %h:%p bastion` is a ProxyJump written the old way.
    ['cache1', [BASTION_HOP]],
    ['cache2', []],
  ])('resolves the ProxyJump chain of %s', (name, chain) => {
    const inventory = loadConfig();

    expect(host(inventory, name).jump).toEqual(chain);
  });

  it('replaces the user known_hosts files with UserKnownHostsFile and records StrictHostKeyChecking', () => {
    const inventory = loadConfig();

    const db1 = host(inventory, 'db1');
    expect(db1.knownHostsFiles).toEqual([path.join(ssh, 'known_hosts.db'), '/etc/palisade/known_hosts', '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
    expect(db1.strictHostKeyChecking).toBe('accept-new');
    expect(host(inventory, 'web1').knownHostsFiles).toEqual(DEFAULT_KNOWN_HOSTS.map((f) => f.replace('/home/tester', home)));
  });

  it('lists what it skipped or will not follow as warnings with file and line', () => {
    const inventory = loadConfig();

    expect(inventory.warnings).toEqual([
      expect.stringMatching(new RegExp(`^${escape(config)}:30: Match block skipped`)),
      expect.stringMatching(new RegExp(`^${escape(path.join(ssh, 'conf.d/20-cache.conf'))}:7: ProxyCommand is not supported`)),
      expect.stringMatching(new RegExp(`^${escape(config)}:19: StrictHostKeyChecking accept-new is recorded but not followed`)),
    ]);
    // Settings under Match are not applied.
    expect(inventory.hosts.some((h) => h.user === 'matched-user')).toBe(false);
  });

  it('applies an Include under a Host block only to hosts that block matches', () => {
    const nested = path.join(FIXTURES, 'ssh-config/nested-include');

    const inventory = load('ssh-config/nested-include/.ssh/config', { homeDir: nested });

    expect(inventory.hosts.map((h) => [h.name, h.user])).toEqual([['web1', 'from-include']]);
    expect(inventory.warnings).toEqual([expect.stringMatching(/extra\.conf:1: Host web2 skipped: it sits in an Include under a Host block that does not match it/)]);
  });

  it('expands ${VAR} and % tokens in paths, and `UserKnownHostsFile none` leaves only the global files', () => {
    const inventory = load('ssh-config/env/config', { env: { PALISADE_TEST_KEYS: '/keys' } });

    expect(host(inventory, 'web1')).toMatchObject({ identityFile: '/keys/id_web1', knownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'] });
  });

  it('refuses a ${VAR} that is not set', () => {
    const err = loadError('ssh-config/env/config', { env: {} });

    expect(err).toMatchObject({ line: 3, field: 'IdentityFile' });
    expect(err.message).toMatch(/environment variable PALISADE_TEST_KEYS is not set/);
  });

  it('reads Include relative to the folder of a system-wide ssh_config', () => {
    const inventory = load('ssh-config/system/ssh_config');

    expect(inventory.hosts.map((h) => [h.name, h.address, h.user])).toEqual([['web1', '10.0.1.11', 'ops']]);
  });

  it.each([
    ['bad-port.conf', 6, 'Port', /Port must be a TCP port, an integer from 1 to 65535/],
    ['no-pattern.conf', 3, 'Host', /Host needs at least one pattern/],
    ['jump-cycle.conf', 2, 'ProxyJump', /jump cycle: a -> b -> a/],
    ['bad-hop.conf', 3, 'ProxyJump', /invalid hop "ops@:22": missing host/],
    ['unterminated-quote.conf', 2, 'IdentityFile', /unterminated quote/],
    ['bad-timeout.conf', 2, 'ConnectTimeout', /ConnectTimeout must be a whole number of seconds/],
    ['bad-token.conf', 2, 'IdentityFile', /unsupported token %z/],
  ])('rejects %s naming line %i and field %s', (file, line, field, message) => {
    const fixture = `ssh-config/invalid/${file}`;

    const err = loadError(fixture);

    expect(err.file).toBe(path.join(FIXTURES, fixture));
    expect(err.line).toBe(line);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it('rejects an Include cycle at the Include that closes it', () => {
    const cycleHome = path.join(FIXTURES, 'ssh-config/invalid/include-cycle');

    const err = loadError('ssh-config/invalid/include-cycle/.ssh/config', { homeDir: cycleHome });

    expect(err.file).toBe(path.join(cycleHome, '.ssh/loop.conf'));
    expect(err.line).toBe(2);
    expect(err.field).toBe('Include');
    expect(err.message).toMatch(/Include cycle: .*config -> .*loop\.conf -> .*config$/);
  });
});

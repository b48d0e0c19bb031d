import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { PolicyError } from '../../src/errors.js';
import { DEFAULT_KNOWN_HOSTS, FIXTURES, HOME, host, load, loadError } from './helpers.js';

const FLEET = 'palisade/valid/fleet.yaml';
const fleetFile = path.join(FIXTURES, FLEET);
const fleetDir = path.dirname(fleetFile);

const BASTION = {
  name: 'bastion',
  address: '203.0.113.10',
  port: 22,
  user: 'deploy',
  identityFile: `${HOME}/.ssh/id_ed25519`,
  hostKeyFingerprint: 'SHA256:ocUJ3yHOxJr2aFq449utYN/LA3zAqzsLUsYS8q5uzKQ',
};
const WEB1_HOP = { name: 'web1', address: '10.0.1.11', port: 22, user: 'www', identityFile: `${HOME}/.ssh/id_ed25519` };

describe('src/inventory/palisade', () => {
  it('reads hosts in file order with their source lines, and engines', () => {
    const inventory = load(FLEET);

    expect(inventory.format).toBe('palisade');
    expect(inventory.file).toBe(fleetFile);
    expect(inventory.hosts.map((h) => [h.name, h.source.line])).toEqual([
      ['bastion', 21],
      ['web1', 26],
      ['web2', 30],
      ['db1', 34],
      ['app1', 41],
      ['legacy', 45],
      ['nas.example.com', 50],
    ]);
    expect(inventory.hosts.every((h) => h.source.file === fleetFile)).toBe(true);
    expect(inventory.engines).toEqual([
      { name: 'local', endpoint: 'unix:///var/run/docker.sock', source: { file: fleetFile, line: 52 } },
      { name: 'build', endpoint: 'tcp://10.0.3.5:2376', source: { file: fleetFile, line: 53 } },
    ]);
    expect(inventory.warnings).toEqual([]);
  });

  it('fills unset settings from defaults, then built-in defaults', () => {
    const inventory = load(FLEET);

    expect(host(inventory, 'nas.example.com')).toEqual({
      name: 'nas.example.com',
      address: 'nas.example.com',
      port: 22,
      user: 'deploy',
      identityFile: `${HOME}/.ssh/id_ed25519`,
      knownHostsFiles: DEFAULT_KNOWN_HOSTS,
      tags: [],
      sudo: false,
      jump: [],
      connectTimeoutMs: 5000,
      commandTimeoutMs: 90_000,
      source: { file: fleetFile, line: 50 },
    });
  });

  it.each([
    // host > groups in listed order > defaults
    ['web1', { user: 'www', port: 22, segment: 'dmz', sudo: false, commandTimeoutMs: 90_000, tags: ['web', 'public'] }],
    ['web2', { user: 'admin', port: 2222, segment: 'dmz', sudo: true, commandTimeoutMs: 300_000, tags: ['web', 'public', 'db'] }],
    ['db1', { user: 'www', port: 2222, segment: 'data', sudo: true, commandTimeoutMs: 300_000, tags: ['db', 'web', 'public'] }],
    ['bastion', { user: 'deploy', port: 22, sudo: false, tags: ['edge'] }],
  ])('applies precedence host > groups > defaults for %s', (name, expected) => {
    const inventory = load(FLEET);

    expect(host(inventory, name)).toMatchObject(expected);
  });

  it('resolves relative key and known_hosts paths against the inventory folder and keeps the passphrase variable name', () => {
    const inventory = load(FLEET);

    const db1 = host(inventory, 'db1');
    expect(db1.identityFile).toBe(path.join(fleetDir, 'keys/db.key'));
    expect(db1.identityPassphraseEnv).toBe('DB_KEY_PASSPHRASE');
    expect(db1.knownHostsFiles).toEqual([path.join(fleetDir, 'known_hosts.palisade')]);
  });

  it.each([
    ['bastion', []],
    // From the group `web`.
    ['web1', [BASTION]],
    // A later hop is reached through the one before it; its own jump setting is not followed.
    ['db1', [BASTION, WEB1_HOP]],
    // The first hop is reached through its own jump chain, as OpenSSH does.
    ['app1', [BASTION, WEB1_HOP]],
    ['legacy', [{ name: 'ops@gw.example.net:2200', address: 'gw.example.net', port: 2200, user: 'ops', identityFile: `${HOME}/.ssh/id_ed25519` }]],
  ])('resolves the jump chain of %s into hop specs', (name, chain) => {
    const inventory = load(FLEET);

    expect(host(inventory, name).jump).toEqual(chain);
  });

  it('records a host\'s Docker engine, `ssh` meaning the same host over its SSH settings', () => {
    const inventory = load(FLEET);

    expect(host(inventory, 'web1').docker).toBe('ssh://www@10.0.1.11');
    expect(host(inventory, 'app1').docker).toBe('tcp://10.0.4.1:2376');
    expect(host(inventory, 'web2').docker).toBeUndefined();
  });

  it('takes durations as seconds or with a unit and IPv6 addresses as written', () => {
    const inventory = load(FLEET);

    const legacy = host(inventory, 'legacy');
    expect(legacy.connectTimeoutMs).toBe(1500);
    expect(legacy.address).toBe('2001:db8::5');
  });

  it('uses the current user when no user is set anywhere', () => {
    const inventory = load('palisade/default/palisade.yaml', { localUser: 'someone' });

    expect(host(inventory, 'web1').user).toBe('someone');
  });

  it.each([
    ['bad-yaml.yaml', 6, undefined, /invalid YAML: bad indentation/],
    ['wrong-api-version.yaml', 1, 'apiVersion', /must be "palisade\/v1"/],
    ['policy-not-inventory.yaml', 2, 'kind', /this is a palisade Policy, not an inventory/],
    ['unknown-field.yaml', 5, 'hosts.web1.adress', /unknown field; allowed: address, user, port, identity, identityPassphraseEnv, hostKey, sudo, connectTimeout, commandTimeout, knownHosts, tags, segment, groups, jump, docker$/],
    ['group-unknown-field.yaml', 6, 'groups.web.hostKey', /unknown field; allowed: user, port, identity, identityPassphraseEnv, sudo, connectTimeout, commandTimeout, knownHosts, tags, segment, jump$/],
    ['password.yaml', 7, 'hosts.web1.password', /passwords are not accepted .*ssh agent .*key file/],
    ['pass-in-defaults.yaml', 5, 'defaults.pass', /passwords are not accepted/],
    ['passphrase.yaml', 6, 'groups.web.passphrase', /passphrases are not accepted .*identityPassphraseEnv/],
    ['passphrase-env-value.yaml', 6, 'hosts.web1.identityPassphraseEnv', /must be the NAME of an environment variable/],
    ['bad-port.yaml', 8, 'hosts.web2.port', /must be a TCP port, an integer from 1 to 65535/],
    ['port-not-number.yaml', 4, 'defaults.port', /must be a TCP port/],
    ['duplicate-host.yaml', 8, 'hosts.web1', /duplicate name "web1"/],
    ['engine-host-clash.yaml', 8, 'engines.build', /engine "build" has the name of a host/],
    ['unknown-jump.yaml', 10, 'hosts.web1.jump.1', /unknown jump host "gateway": not a host in this inventory \(hosts: bastion, web1\)/],
    ['bad-jump-spec.yaml', 5, 'hosts.web1.jump', /invalid jump host "ops@gw.example.net:99999": "99999" is not a port/],
    ['unknown-group.yaml', 10, 'hosts.web1.groups.1', /unknown group "dbs"; groups: web$/],
    ['jump-cycle.yaml', 5, 'hosts.a.jump', /jump cycle: a -> b -> c -> a/],
    ['self-jump.yaml', 6, 'hosts.web1.jump.1', /jump cycle: web1 -> bastion -> web1/],
    ['bad-host-key.yaml', 6, 'hosts.web1.hostKey', /must be a host key fingerprint as `ssh-keygen -lf` prints it/],
    ['bad-docker.yaml', 5, 'hosts.web1.docker', /must be ssh .*or an ssh:\/\/, tcp:\/\/, https:\/\/ or unix:\/\/ URL/],
    ['bad-engine.yaml', 4, 'engines.build', /must be a Docker endpoint URL/],
    ['bad-timeout.yaml', 5, 'hosts.web1.connectTimeout', /must be a number of seconds, or a duration like 500ms, 10s, 2m/],
    ['bad-address.yaml', 5, 'hosts.web1.address', /must be a host name or IP address \(no user@/],
    ['bad-name.yaml', 4, 'hosts.web 1', /is not a valid name/],
    ['duplicate-tag.yaml', 5, 'hosts.web1.tags', /lists the same value twice/],
    ['empty.yaml', 1, 'hosts', /lists no hosts and no engines/],
  ])('rejects %s naming line %i and field %s', (file, line, field, message) => {
    const fixture = `palisade/invalid/${file}`;

    const err = loadError(fixture);

    const full = path.join(FIXTURES, fixture);
    expect(err).toBeInstanceOf(PolicyError);
    expect(err.file).toBe(full);
    expect(err.line).toBe(line);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`${full}:${line}`)).toBe(true);
  });

  it.each(['password.yaml', 'pass-in-defaults.yaml', 'passphrase.yaml', 'passphrase-env-value.yaml'])('never repeats the secret from %s', (file) => {
    const err = loadError(`palisade/invalid/${file}`);

    expect(err.message).not.toMatch(/hunter2|correct.horse/);
  });
});

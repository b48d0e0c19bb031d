import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { FIXTURES, host, load, loadError } from './helpers.js';

const FILE = 'ansible-yaml/inventory.yaml';
const file = path.join(FIXTURES, FILE);
const JUMP_HOP = { name: 'jump.example.com', address: '198.51.100.20', port: 22, user: 'ops' };

describe('src/inventory/ansible-yaml', () => {
  it('reads all: hosts and nested children, expanding ranges and host:port keys, with their lines', () => {
    const inventory = load(FILE);

    expect(inventory.format).toBe('ansible-yaml');
    expect(inventory.hosts.map((h) => [h.name, h.port, h.source.line])).toEqual([
      ['jump.example.com', 22, 5],
      ['web1.example.com', 22, 10],
      ['web2.example.com', 22, 10],
      ['www.example.com', 8022, 11],
      ['db1.example.com', 2200, 26],
      ['db2.example.com', 22, 31],
    ]);
  });

  it.each([
    ['jump.example.com', { address: '198.51.100.20', user: 'ops', tags: [] }],
    ['web2.example.com', { user: 'ops', segment: 'dmz', tags: ['web'], jump: [JUMP_HOP] }],
    ['www.example.com', { user: 'www', jump: [JUMP_HOP] }],
    // A host variable beats its group's; the segment comes from the parent group `db`.
    ['db1.example.com', { sudo: false, segment: 'data', tags: ['db', 'db_primary'], jump: [] }],
    // `yes` is true to Ansible; a templated ansible_host is ignored, so the name is the address.
    ['db2.example.com', { sudo: true, address: 'db2.example.com', tags: ['db', 'db_replica'] }],
  ])('maps variables with Ansible precedence for %s', (name, expected) => {
    const inventory = load(FILE);

    expect(host(inventory, name)).toMatchObject(expected);
  });

  it('warns about passwords (vaulted or not) and templates, without reading them', () => {
    const inventory = load(FILE);

    expect(inventory.warnings).toEqual([
      expect.stringContaining(`${file}:20: ansible_password ignored: palisade does not use passwords`),
      expect.stringContaining(`${file}:32: ansible_host uses a Jinja2 template, which palisade does not evaluate; ignored`),
    ]);
    expect(inventory.warnings.join('\n')).not.toContain('ANSIBLE_VAULT');
  });

  it('accepts top-level groups without all:, with palisade variables', () => {
    const inventory = load('ansible-yaml/top-level-groups.yml');

    expect(host(inventory, 'web2.example.com')).toMatchObject({ tags: ['webservers'], docker: 'ssh://tester@web2.example.com' });
    expect(host(inventory, 'db1.example.com')).toMatchObject({ identityFile: '/work/keys/db.pem', identityPassphraseEnv: 'DB_KEY_PASS' });
  });

  it('follows YAML anchors and merge keys, as Ansible\'s loader does', () => {
    const inventory = load('ansible-yaml/anchors.yaml');

    expect(host(inventory, 'api1.example.com')).toMatchObject({ user: 'api', segment: 'dmz', tags: ['api'] });
    expect(host(inventory, 'web1.example.com')).toMatchObject({ user: 'www', segment: 'dmz', tags: ['web'] });
  });

  it.each([
    ['hosts-list.yaml', 4, 'all.children.web.hosts', /hosts of group "web" must be a mapping, not a list/],
    ['host-vars-list.yaml', 3, 'all.hosts.web1.example.com', /variables of host "web1.example.com" must be a mapping, not a list/],
    ['bad-port.yaml', 6, 'all.children.web.hosts.web1.example.com.ansible_port', /^\S+ \(field \S+\): ansible_port must be a TCP port/],
    ['group-cycle.yaml', 5, 'all.children.a.children.b', /group cycle: a -> b -> a/],
    ['bad-yaml.yaml', 4, undefined, /invalid YAML/],
  ])('rejects %s naming line %i and field %s', (name, line, field, message) => {
    const fixture = `ansible-yaml/invalid/${name}`;

    const err = loadError(fixture);

    expect(err.file).toBe(path.join(FIXTURES, fixture));
    expect(err.line).toBe(line);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });
});

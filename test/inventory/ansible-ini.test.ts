import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadInventory } from '../../src/inventory/load.js';
import { FIXTURES, HOME, host, load, loadError } from './helpers.js';

const FILE = 'ansible-ini/hosts.ini';
const file = path.join(FIXTURES, FILE);
const BASTION_HOP = { name: 'bastion.example.com', address: '203.0.113.10', port: 22, user: 'jump' };
const FINGERPRINT = 'SHA256:ZZp/sq9Hb65ojXESE9kdwVUKN/A5WgCm97rLeOzjZms';

describe('src/inventory/ansible-ini', () => {
  it('expands ranges and keeps declaration order and lines; a non-SSH host is skipped with a warning', () => {
    const inventory = load(FILE);

    expect(inventory.format).toBe('ansible-ini');
    expect(inventory.hosts.map((h) => [h.name, h.source.line])).toEqual([
      ['bastion.example.com', 3],
      ['web01.example.com', 6],
      ['web02.example.com', 6],
      ['web03.example.com', 6],
      ['web-canary.example.com', 7],
      ['db-a.example.com', 15],
      ['db-b.example.com', 15],
      ['db-c.example.com', 17],
    ]);
    expect(inventory.warnings).toEqual([
      `${file}:2: host localhost skipped: ansible_connection=local is not SSH, and palisade scans hosts over SSH`,
      expect.stringMatching(new RegExp(`^${file.replace(/\./g, '\\.')}:23: ansible_become_pass ignored: palisade does not use passwords`)),
    ]);
    expect(inventory.warnings.join('\n')).not.toContain('not-a-real-secret');
  });

  it.each([
    ['bastion.example.com', { address: '203.0.113.10', user: 'jump', port: 22, tags: [], sudo: false, connectTimeoutMs: 10_000 }],
    // [web:vars] (depth 2) beat [prod:vars] (depth 1); [prod:vars] still supplies what web leaves unset.
    ['web01.example.com', { user: 'deploy', port: 22, segment: 'dmz', tags: ['prod', 'web'], connectTimeoutMs: 15_000, hostKeyFingerprint: FINGERPRINT }],
    // Host variables and `host:port` beat group variables.
    ['web-canary.example.com', { user: 'canary', port: 2222 }],
    // palisade_segment is preferred to segment; ansible_become sets sudo.
    ['db-a.example.com', { user: 'produser', port: 2022, segment: 'data', sudo: true, tags: ['prod', 'db'], identityFile: `${HOME}/.ssh/db.key` }],
    ['db-c.example.com', { sudo: false }],
  ])('maps Ansible variables with Ansible precedence for %s', (name, expected) => {
    const inventory = load(FILE);

    expect(host(inventory, name)).toMatchObject(expected);
  });

  it.each([
    ['bastion.example.com', []],
    // -o ProxyJump=<inventory host> takes that host's address, port and user.
    ['web02.example.com', [BASTION_HOP]],
    // ProxyCommand='ssh -W %h:%p -p 2200 ops@gw' is read as a hop.
    ['db-c.example.com', [{ name: 'ops@gw.example.com:2200', address: 'gw.example.com', port: 2200, user: 'ops' }]],
  ])('extracts the jump chain of %s from ansible_ssh_common_args', (name, chain) => {
    const inventory = load(FILE);

    expect(host(inventory, name).jump).toEqual(chain);
  });

  it.each([
    ['bad-section.ini', 4, '[web:hosts]', /must be vars or children/],
    ['bad-range.ini', 3, 'web[3:1].example.com', /host range \[3:1\] must have begin <= end/],
    ['range-width.ini', 2, 'web[01:100].example.com', /same number of digits/],
    ['bad-port.ini', 5, 'ansible_port', /ansible_port must be a TCP port/],
    ['bad-host-port.ini', 2, 'web1.example.com:0', /port after ":" must be a TCP port/],
    ['no-equals.ini', 2, 'web1.example.com', /expected key=value host variables/],
    ['vars-no-equals.ini', 2, '[web:vars]', /expected key=value in \[web:vars\]/],
    ['group-cycle.ini', 2, '[a:children]', /group cycle: a -> b -> c -> a/],
    ['bad-become.ini', 2, 'ansible_become', /ansible_become must be true or false/],
    ['bad-segment.ini', 2, 'segment', /segment must be a name/],
    ['bad-host-key.ini', 2, 'palisade_host_key', /SHA256: followed by 43 base64 characters/],
    ['jump-cycle.ini', 2, 'ansible_ssh_common_args', /jump cycle: gw1 -> gw2 -> gw1/],
  ])('rejects %s naming line %i and field %s', (name, line, field, message) => {
    const fixture = `ansible-ini/invalid/${name}`;

    const err = loadError(fixture);

    expect(err.file).toBe(path.join(FIXTURES, fixture));
    expect(err.line).toBe(line);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it('does not echo a stray token that may be a secret', () => {
    const err = loadError('ansible-ini/invalid/no-equals.ini');

    expect(err.message).not.toContain('hunter2');
  });
});

describe('src/inventory/ansible group order', () => {
  it('merges groups of one depth by name as Python compares it (code points: "Zeta" before "alpha"), so alpha wins', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-ansible-order-'));
    try {
      const file = path.join(dir, 'hosts.ini');
      writeFileSync(file, ['[alpha]', 'app.example.com', '', '[Zeta]', 'app.example.com', '', '[alpha:vars]', 'ansible_user=from-alpha', '', '[Zeta:vars]', 'ansible_user=from-zeta', ''].join('\n'));

      const inventory = loadInventory(file, { cwd: dir, env: {}, homeDir: HOME });

      expect(host(inventory, 'app.example.com').user).toBe('from-alpha');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

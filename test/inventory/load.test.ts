import { userInfo } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { PolicyError } from '../../src/errors.js';
import { InventoryError, loadInventory } from '../../src/inventory/load.js';
import { FIXTURES, HOME, load, loadError } from './helpers.js';

describe('src/inventory/load', () => {
  it.each([
    ['palisade/valid/fleet.yaml', 'palisade'],
    ['ssh-config/home/.ssh/config', 'ssh-config'],
    ['detect/workstation.sshconf', 'ssh-config'],
    ['ansible-ini/hosts.ini', 'ansible-ini'],
    ['detect/hosts', 'ansible-ini'],
    ['detect/fleet', 'ansible-ini'],
    ['ansible-yaml/inventory.yaml', 'ansible-yaml'],
    ['ansible-yaml/top-level-groups.yml', 'ansible-yaml'],
  ])('detects the form of %s as %s', (file, format) => {
    const inventory = load(file);

    expect(inventory.format).toBe(format);
  });

  it('reads an INI file of bare host lines as ungrouped hosts', () => {
    const inventory = load('detect/hosts');

    expect(inventory.hosts.map((h) => [h.name, h.user, h.tags])).toEqual([
      ['web1.example.com', 'deploy', []],
      ['10.0.0.7', 'tester', []],
    ]);
  });

  it('reads palisade.yaml from the working folder when no file is given', () => {
    const cwd = path.join(FIXTURES, 'palisade/default');

    const inventory = loadInventory(undefined, { cwd, homeDir: HOME, localUser: 'tester' });

    expect(inventory.file).toBe(path.join(cwd, 'palisade.yaml'));
    expect(inventory.hosts.map((h) => h.name)).toEqual(['web1']);
  });

  it('resolves a relative file against cwd', () => {
    const inventory = loadInventory('palisade/default/palisade.yaml', { cwd: FIXTURES, homeDir: HOME, localUser: 'tester' });

    expect(inventory.file).toBe(path.join(FIXTURES, 'palisade/default/palisade.yaml'));
  });

  it('explains what to do when there is no palisade.yaml and no file was given', () => {
    let caught: unknown;

    try {
      loadInventory(undefined, { cwd: FIXTURES, homeDir: HOME, localUser: 'tester' });
    } catch (err) {
      caught = err;
    }

    expect(caught).toBeInstanceOf(InventoryError);
    expect(caught).toBeInstanceOf(PolicyError);
    expect((caught as InventoryError).file).toBe(path.join(FIXTURES, 'palisade.yaml'));
    expect((caught as Error).message).toMatch(/palisade\.yaml not found in .*; create one .* or pass --inventory FILE/);
  });

  it.each([
    ['detect/missing.yaml', /no such inventory file/],
    ['detect', /is a directory/],
    ['detect/random.yaml', /not an inventory: a YAML inventory is either palisade's .* or Ansible's/],
    ['detect/notes.txt', /cannot tell the inventory form/],
  ])('rejects %s', (file, message) => {
    const err = loadError(file);

    expect(err.file).toBe(path.join(FIXTURES, file));
    expect(err.message).toMatch(message);
  });

  it('defaults the remote user to the current OS user', () => {
    const inventory = loadInventory(path.join(FIXTURES, 'palisade/default/palisade.yaml'), { homeDir: HOME });

    expect(inventory.hosts[0]?.user).toBe(userInfo().username);
  });

  it('defaults known_hosts to the files ssh reads and timeouts to 10 s and 120 s', () => {
    const inventory = load('palisade/default/palisade.yaml');

    expect(inventory.hosts[0]).toMatchObject({
      port: 22,
      knownHostsFiles: [`${HOME}/.ssh/known_hosts`, `${HOME}/.ssh/known_hosts2`, '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
      connectTimeoutMs: 10_000,
      commandTimeoutMs: 120_000,
      sudo: false,
      jump: [],
    });
  });
});

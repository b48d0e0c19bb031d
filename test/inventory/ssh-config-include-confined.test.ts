import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { loadInventory } from '../../src/inventory/load.js';

// A repository with an ssh config, a home folder with ssh's own folder, and a
// file elsewhere whose lines a hostile Include would like to quote in warnings.
const top = mkdtempSync(path.join(tmpdir(), 'palisade-include-'));
const repo = path.join(top, 'repo');
const home = path.join(top, 'home');
const outside = path.join(top, 'elsewhere');
for (const d of [path.join(repo, 'ssh.d'), path.join(home, '.ssh'), outside]) mkdirSync(d, { recursive: true });
afterAll(() => rmSync(top, { recursive: true, force: true }));

writeFileSync(path.join(outside, 'shadow'), 'root:$6$not-a-real-hash:19000:0:99999:7:::\n');
writeFileSync(path.join(outside, 'extra.conf'), 'Host extra1\n  HostName 192.0.2.9\n');
writeFileSync(path.join(repo, 'ssh.d', 'app.conf'), 'Host app1\n  HostName 192.0.2.1\n');
writeFileSync(path.join(home, '.ssh', 'shared.conf'), 'Host shared1\n  HostName 192.0.2.2\n');
symlinkSync(path.join(outside, 'shadow'), path.join(repo, 'ssh.d', 'link.conf'));

function load(text: string, at = path.join(repo, 'ssh_hosts')) {
  writeFileSync(at, text);
  return loadInventory(at, { homeDir: home, localUser: 'tester', cwd: repo });
}

describe('src/inventory/ssh-config Include stays inside its folders', () => {
  it('follows an Include inside the folder of the config named', () => {
    const inventory = load(`Host *\n  Include ${path.join(repo, 'ssh.d', 'app.conf')}\n`);

    expect(inventory.hosts.map((h) => h.name)).toEqual(['app1']);
    expect(inventory.warnings).toEqual([]);
  });

  it('follows an Include relative to ~/.ssh, as ssh does', () => {
    const inventory = load('Host *\n  Include shared.conf\n');

    expect(inventory.hosts.map((h) => h.name)).toEqual(['shared1']);
  });

  it.each([
    ['an absolute path elsewhere', path.join(outside, 'shadow')],
    ['a `..` path out of the folder', `${repo}/ssh.d/../../elsewhere/shadow`],
    ['a symlink to a file elsewhere', path.join(repo, 'ssh.d', 'link.conf')],
  ])('skips %s with a warning, never quoting its lines', (_name, include) => {
    const inventory = load(`Host app2\n  HostName 192.0.2.3\nHost *\n  Include ${include}\n`);

    expect(inventory.hosts.map((h) => h.name)).toEqual(['app2']);
    expect(inventory.warnings).toEqual([expect.stringMatching(/ssh_hosts:4: Include .* is outside .*; skipped/)]);
    expect(inventory.warnings.join('\n')).not.toContain('not-a-real-hash');
  });

  it('lets the operator\'s own ~/.ssh/config include what ssh would', () => {
    const inventory = load(`Host *\n  Include ${path.join(outside, 'extra.conf')}\n`, path.join(home, '.ssh', 'config'));

    expect(inventory.hosts.map((h) => h.name)).toEqual(['extra1']);
  });
});

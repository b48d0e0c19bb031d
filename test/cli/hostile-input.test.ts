// Hostile input files through the CLI: each is a clear error naming the file
// (and line, where there is one) with exit code 2, never a stack overflow,
// a hang or an exception name.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { aliasBomb, deepFlowPolicy } from '../helpers/hostile-yaml.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'palisade-hostile-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const cli = (args: string[]) => runCli(args, { env: { HOME: dir }, cwd: dir });

describe('src/cli/main (hostile input files)', () => {
  it('refuses a policy nested 5,000 deep with the limit and the line, not a RangeError', async () => {
    const policy = file('deep.yaml', deepFlowPolicy(5000));

    const result = await cli(['policy', 'validate', policy]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${policy}:4: nesting deeper than 100 levels`);
    expect(result.stderr).not.toMatch(/RangeError|call stack/);
  });

  it('refuses an alias bomb in a schema-valid policy field (check params)', async () => {
    const policy = file('bomb-policy.yaml', `apiVersion: palisade/v1\nkind: Policy\nname: bomb\nchecks:\n  docker/no-privileged:\n    params:\n${aliasBomb(6)}`);

    const result = await cli(['policy', 'validate', policy]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${policy}:\\d+: aliases expand to more than 100000 nodes`));
  });

  it.each([
    ['palisade', `apiVersion: palisade/v1\nkind: Inventory\nhosts:\n  web:\n    address: 127.0.0.1\nx-anchors:\n${aliasBomb(2)}`],
    ['Ansible', `all:\n  hosts:\n    web:\n      ansible_host: 127.0.0.1\n  vars:\n${aliasBomb(4)}`],
  ])('refuses an alias bomb in a %s inventory', async (_form, text) => {
    const inventory = file(`bomb-${_form}.yaml`, text);

    const result = await cli(['scan', '--inventory', inventory, '--format', 'json']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${inventory}:\\d+: aliases expand to more than 100000 nodes`));
  });

  it.each([
    [['policy', 'validate', dir], /is a directory/],
    [['scan', '--policy', dir, '--format', 'json'], /cannot read policy: is a directory/],
    [['scan', '--inventory', dir, '--format', 'json'], /is a directory; pass the inventory file itself/],
    [['scan', '--baseline', dir, '--format', 'json'], /cannot read baseline .*: it is a directory/],
  ])('refuses a directory as an input file: %j', async (args, message) => {
    const result = await cli(args);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/EISDIR/);
  });

  it.each([['--policy'], ['--inventory'], ['--baseline']])('refuses a FIFO as %s without waiting for a writer', async (flag) => {
    const fifo = path.join(dir, `fifo${flag}`);
    execFileSync('mkfifo', [fifo]);

    const result = await cli(['scan', flag, fifo, '--format', 'json']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a regular file/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { internalErrorLines, stderrLine } from '../../src/cli/stderr.js';
import { runCli, type CliRun } from '../helpers/cli.js';

// The repro: a name holding a clear-screen CSI, an OSC title sequence
// and a newline followed by a forged line.
const EVIL = 'x\u001b[2J\u001b]0;pwned\u0007\nFAKE: all good';
const EVIL_ONE_LINE = 'x\u001b[2J\u001b]0;pwned\u0007\u202eFAKE: all good';

const dir = mkdtempSync(path.join(tmpdir(), 'palisade-hostile-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const policyWithEvilParameter = file(
  'evil-param.yaml',
  `apiVersion: palisade/v1\nkind: Policy\nname: p\nchecks:\n  docker/no-privileged:\n    params:\n      ${JSON.stringify(EVIL)}: 1\n`,
);
const policyWithEvilCheck = file('evil-check.yaml', `apiVersion: palisade/v1\nkind: Policy\nname: p\nchecks:\n  ${JSON.stringify(EVIL)}: {}\n`);
const inventoryWithEvilHost = file('evil-inventory.yaml', `kind: Inventory\nversion: 1\nhosts:\n  ${JSON.stringify(EVIL)}:\n    address: 127.0.0.1\n`);
const sshConfigWithEvilHost = file('evil_ssh_config', `Host ${EVIL_ONE_LINE}\n  HostName 127.0.0.1\n  Port 1\n  User nobody\n  IdentityFile ${path.join(dir, 'no-such-key')}\n`);
const sshConfigWithBidiHost = file('bidi_ssh_config', `Host evil\u202elanif-\u2066good\n  HostName 127.0.0.1\n  Port 1\n  User nobody\n  IdentityFile ${path.join(dir, 'no-such-key')}\n`);

function cli(args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: dir, env: { HOME: dir }, now: () => new Date('2026-11-28T12:00:00Z') });
}

/** What a terminal would act on, or what reorders or hides text. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069]/;

function expectSafe(stream: string): void {
  expect(stream).not.toMatch(RAW);
  // A forged line would start with the attacker's text.
  for (const line of stream.split('\n')) expect(line).not.toMatch(/^FAKE/);
}

describe('src/cli/main with hostile names on stderr', () => {
  it.each([
    ['policy validate, a parameter key', ['policy', 'validate', policyWithEvilParameter], 2],
    ['policy validate, a check id', ['policy', 'validate', policyWithEvilCheck], 2],
    ['scan, a policy parameter key', ['scan', '--policy', policyWithEvilParameter, '--format', 'json'], 2],
    ['scan, an inventory host name', ['scan', '--inventory', inventoryWithEvilHost, '--format', 'json'], 2],
  ])('%s: the name is shown escaped, the terminal is never driven and no line is forged', async (_name, args, code) => {
    const result = await cli(args);

    expect(result.code).toBe(code);
    expectSafe(result.stderr);
    expectSafe(result.stdout);
    expect(result.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  it('policy validate names the hostile parameter key with visible escapes', async () => {
    const result = await cli(['policy', 'validate', policyWithEvilParameter]);

    expect(result.stderr).toContain('params.x\\x1b[2J\\x1b]0;pwned\\x07\\nFAKE: all good');
  });

  it.each([
    ['an ssh config Host with escape sequences', sshConfigWithEvilHost],
    ['an ssh config Host with bidirectional overrides', sshConfigWithBidiHost],
  ])('scan with %s keeps stderr and the report safe', async (_name, config) => {
    const result = await cli(['scan', '--inventory', config, '--format', 'table', '--no-progress']);

    expect([2, 3]).toContain(result.code);
    expectSafe(result.stderr);
    expectSafe(result.stdout);
  });

  it('scan never repeats the credentials of a refused engine endpoint', async () => {
    const token = `ghp_${'Z9'.repeat(18)}`;

    const result = await cli(['scan', '--docker', `tcp://admin:${token}@127.0.0.1:1`, '--format', 'json', '--no-progress', '--timeout', '2']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('tcp://admin:[redacted: url-password]@127.0.0.1:1');
    expect(result.stderr).not.toContain(token);
    expect(result.stdout).not.toContain(token);
  });
});

describe('src/cli/stderr', () => {
  it.each([
    ['a forged line', `bad ${EVIL}`, 'palisade: bad x\\x1b[2J\\x1b]0;pwned\\x07\\nFAKE: all good\n'],
    ['a secret in an engine message', `pull failed for https://u:hunter2@r.example`, 'palisade: pull failed for https://u:[redacted: url-password]@r.example\n'],
    ['a carriage return overwrite', 'scan ok\rFAKE', 'palisade: scan ok\\rFAKE\n'],
  ])('writes %s as one safe line', (_name, message, expected) => {
    expect(stderrLine(message)).toBe(expected);
  });

  it('writes an internal error as one safe line and its stack frames', () => {
    const err = new TypeError(`boom ${EVIL}`);

    const text = internalErrorLines(err);

    expect(text.split('\n')[0]).toBe('palisade: internal error (please report it): TypeError: boom x\\x1b[2J\\x1b]0;pwned\\x07\\nFAKE: all good');
    expectSafe(text);
    expect(text).toMatch(/\n\s+at /);
  });
});

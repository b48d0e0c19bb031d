// Lines OpenSSH refuses (checked against `ssh -G -F file` of OpenSSH 9.2):
// a control-character keyword is "Bad configuration option", a second value
// for a one-value keyword is "extra arguments at end of line", and ssh then
// refuses the whole file. palisade does the same, naming file:line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { InventoryError, loadInventory } from '../../src/inventory/load.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'palisade-sshconf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function configFile(text: string): string {
  const file = path.join(dir, `config-${++n}`);
  writeFileSync(file, text);
  return file;
}

function load(text: string) {
  return loadInventory(configFile(text), { homeDir: dir, localUser: 'tester', cwd: dir });
}

function loadError(text: string): InventoryError {
  try {
    load(text);
  } catch (error) {
    if (error instanceof InventoryError) return error;
    throw error;
  }
  throw new Error('loaded without error');
}

describe('src/inventory/ssh-config (lines ssh refuses)', () => {
  it('refuses a line of control characters and === inside a Host block, naming file:line', () => {
    const error = loadError('Host web\n  HostName 127.0.0.1\n\u001b[2J\u001b]0;pwned\u0007===\n  User deploy\n');

    expect(error.line).toBe(3);
    expect(error.message).toMatch(/config-\d+:3 .*control characters in the line/);
    expect(error.message).not.toMatch(/\u001b/);
  });

  it.each([
    ['a punctuation keyword', 'Host web\n  Host-Name x\n', /Bad configuration option: "Host-Name"/],
    ['a second HostName value', 'Host web\n  HostName 127.0.0.1 extra\n', /keyword HostName extra arguments at end of line/],
    ['a second Port value', 'Host web\n  Port 22 23\n', /keyword Port extra arguments at end of line/],
    ['a bidi override', 'Host web\n  User de\u202eploy\n', /control characters in the line/],
  ])('refuses %s with the line', (_what, text, message) => {
    const error = loadError(text);

    expect(error.line).toBe(2);
    expect(error.message).toMatch(message);
  });

  it('refuses a line of only "=" (ssh skips it; palisade, stricter, names it as junk)', () => {
    const error = loadError('Host web\n  HostName 127.0.0.1\n===\n');

    expect(error.line).toBe(3);
    expect(error.message).toMatch(/expected a keyword and its arguments/);
  });

  it('warns about a well-formed unknown keyword unless IgnoreUnknown names it', () => {
    const warned = load('Host web\n  HostName 127.0.0.1\n  FooBar yes\n');
    const ignored = load('IgnoreUnknown Foo*\nHost web\n  HostName 127.0.0.1\n  FooBar yes\n');

    expect(warned.warnings.join('\n')).toMatch(/:3.*unknown option FooBar/);
    expect(ignored.warnings.join('\n')).not.toMatch(/unknown option/);
  });

  it('caps the number of files Include may pull in', () => {
    const conf = path.join(dir, 'many');
    mkdirSync(conf);
    for (let i = 0; i < 300; i++) writeFileSync(path.join(conf, `${String(i).padStart(3, '0')}.conf`), `Host h${i}\n  HostName 127.0.0.1\n`);

    expect(loadError(`Host *\n  Include ${conf}/*.conf\n`).message).toMatch(/Include pulls in more than 256 files in total/);
  });

  it('refuses an Include of a FIFO instead of blocking on it', async () => {
    const { execFileSync } = await import('node:child_process');
    const fifo = path.join(dir, 'fifo.conf');
    execFileSync('mkfifo', [fifo]);

    expect(loadError(`Host *\n  Include ${fifo}\n`).message).toMatch(/not a regular file/);
  });

  it('exits 2 from the CLI with the file and line', async () => {
    const file = configFile('Host web\n  HostName 127.0.0.1\n\u0001\u0002===\n');

    const result = await runCli(['scan', '--inventory', file, '--format', 'json'], { env: { HOME: dir } });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:3`);
  });
});

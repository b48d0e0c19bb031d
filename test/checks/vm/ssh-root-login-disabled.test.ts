import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/ssh-root-login-disabled.js';
import { hostFacts, hostSubject, messageIds, run } from '../../helpers/facts.js';

function sshd(changes: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...hostFacts().sshd, ...changes };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}

describe('checks/vm/ssh-root-login-disabled', () => {
  it('passes PermitRootLogin no', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    ['yes', 'root-login-allowed'],
    ['prohibit-password', 'root-login-key-only'],
    ['without-password', 'root-login-key-only'],
    ['forced-commands-only', 'root-login-forced-commands'],
  ])('fails PermitRootLogin %s', (value, messageId) => {
    const subject = hostSubject({ sshd: sshd({ permitrootlogin: value }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual([messageId]);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'sshd -T', path: 'permitrootlogin', observed: value, expected: 'no' });
  });

  it.each(['prohibit-password', 'without-password', 'forced-commands-only'])('accepts %s with allowProhibitPassword', (value) => {
    const subject = hostSubject({ sshd: sshd({ permitrootlogin: value }) });

    const result = run(check, subject, { allowProhibitPassword: true });

    expect(result.violations).toEqual([]);
  });

  it('still fails PermitRootLogin yes with allowProhibitPassword', () => {
    const subject = hostSubject({ sshd: sshd({ permitrootlogin: 'yes' }) });

    const result = run(check, subject, { allowProhibitPassword: true });

    expect(messageIds(result)).toEqual(['root-login-allowed']);
  });

  it('assumes the OpenSSH default prohibit-password when sshd -T lacks the key', () => {
    const subject = hostSubject({ sshd: sshd({ permitrootlogin: undefined }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['root-login-key-only']);
    expect(result.violations[0]?.evidence.source).toMatch(/OpenSSH default assumed/);
  });

  it('is not evaluated (needs root) when sshd -T could not run', () => {
    const subject = hostSubject({
      privilege: { root: false, sudo: 'not-configured' },
      sshd: undefined,
      notCollected: { sshd: { reason: 'needs-root', detail: 'sshd: not root, and sudo is not enabled for this host in the inventory' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated (needs root): sshd: not root, and sudo is not enabled for this host in the inventory');
  });

  it('is not evaluated (needs root) when sshd is missing without a reason and palisade had no root', () => {
    const subject = hostSubject({ privilege: { root: false, sudo: 'password-required' }, sshd: undefined });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/^not evaluated \(needs root\): /);
  });

  it('is not evaluated when sshd is not installed', () => {
    const subject = hostSubject({
      sshd: undefined,
      notCollected: { sshd: { reason: 'command-missing', detail: 'sshd: no sshd binary in /usr/sbin, /usr/local/sbin, /sbin or /usr/bin' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: sshd: no sshd binary in /usr/sbin, /usr/local/sbin, /sbin or /usr/bin');
  });
});

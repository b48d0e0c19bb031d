import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/ssh-password-auth-disabled.js';
import { hostFacts, hostSubject, messageIds, run } from '../../helpers/facts.js';

function sshd(changes: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...hostFacts().sshd, ...changes };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}

describe('checks/vm/ssh-password-auth-disabled', () => {
  it('passes a key-only sshd', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    { kbdinteractiveauthentication: 'yes', usepam: 'no' },
    { kbdinteractiveauthentication: 'no', usepam: 'yes' },
  ])('passes keyboard-interactive without PAM passwords %j', (changes) => {
    const subject = hostSubject({ sshd: sshd(changes) });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails PasswordAuthentication yes', () => {
    const subject = hostSubject({ sshd: sshd({ passwordauthentication: 'yes' }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['password-auth']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'sshd -T', path: 'passwordauthentication', observed: 'yes' });
  });

  it.each([
    [{ kbdinteractiveauthentication: 'yes', usepam: 'yes' }, 'kbdinteractiveauthentication'],
    [{ challengeresponseauthentication: 'yes', usepam: 'yes' }, 'challengeresponseauthentication'],
  ])('fails PAM keyboard-interactive %j', (changes, path) => {
    const subject = hostSubject({ sshd: sshd(changes) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['keyboard-interactive-pam']);
    expect(result.violations[0]?.evidence.path).toBe(path);
  });

  it('assumes the OpenSSH defaults when sshd -T lacks the keys (password yes, PAM off)', () => {
    const subject = hostSubject({ sshd: sshd({ passwordauthentication: undefined }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['password-auth']);
    expect(result.violations[0]?.evidence.source).toMatch(/OpenSSH default assumed/);
  });

  it('fails both ways in when both are open', () => {
    const subject = hostSubject({ sshd: sshd({ passwordauthentication: 'yes', kbdinteractiveauthentication: 'yes', usepam: 'yes' }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['password-auth', 'keyboard-interactive-pam']);
  });

  it('passes when every AuthenticationMethods list requires a key, making the password a second factor', () => {
    const subject = hostSubject({
      sshd: sshd({ passwordauthentication: 'yes', kbdinteractiveauthentication: 'yes', usepam: 'yes', authenticationmethods: 'publickey,password publickey,keyboard-interactive' }),
    });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails when one AuthenticationMethods list allows a password alone', () => {
    const subject = hostSubject({ sshd: sshd({ passwordauthentication: 'yes', authenticationmethods: 'publickey password' }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['password-auth']);
  });

  it('is not evaluated without root', () => {
    const subject = hostSubject({ sshd: undefined, notCollected: { sshd: { reason: 'needs-root', detail: 'sshd: sudo refused: a password is required' } } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated (needs root): sshd: sudo refused: a password is required');
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/no-empty-passwords.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/vm/no-empty-passwords', () => {
  it('passes a host whose accounts all have passwords or are locked', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails once per account, naming only the user', () => {
    const subject = hostSubject({ emptyPasswordAccounts: ['guest', 'test', 'guest'] });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['empty-password', 'empty-password']);
    expect(result.violations.map((v) => v.key)).toEqual(['guest', 'test']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: '/etc/shadow', path: 'emptyPasswordAccounts', observed: 'guest' });
    expect(result.violations[0]?.data).toEqual({ name: 'web-1', user: 'guest' });
  });

  it.each([
    ['emptyPasswordAccounts', { reason: 'needs-root', detail: 'empty-passwords: not root, and sudo -n needs a password: allow the probe NOPASSWD' }],
    ['shadow', { reason: 'needs-root', detail: 'empty-passwords: not root, and sudo -n needs a password: allow the probe NOPASSWD' }],
  ] as const)('is not evaluated (needs root) when %s records why', (key, why) => {
    const subject = hostSubject({ privilege: { root: false, sudo: 'password-required' }, emptyPasswordAccounts: undefined, notCollected: { [key]: why } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated (needs root): empty-passwords: not root, and sudo -n needs a password: allow the probe NOPASSWD');
  });

  it('is not evaluated (needs root) without root even with no recorded reason', () => {
    const subject = hostSubject({ privilege: { root: false, sudo: 'denied' }, emptyPasswordAccounts: undefined });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated (needs root): palisade had neither root nor working sudo to read the password fields in /etc/shadow');
  });

  it('is not evaluated when the read failed as root', () => {
    const subject = hostSubject({ emptyPasswordAccounts: undefined, notCollected: { emptyPasswordAccounts: { reason: 'command-missing', detail: 'empty-passwords: awk is not installed' } } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: empty-passwords: awk is not installed');
  });
});

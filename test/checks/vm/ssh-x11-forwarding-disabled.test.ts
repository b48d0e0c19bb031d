import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/ssh-x11-forwarding-disabled.js';
import { hostFacts, hostSubject, messageIds, run } from '../../helpers/facts.js';

function sshd(changes: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...hostFacts().sshd, ...changes };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}

describe('checks/vm/ssh-x11-forwarding-disabled', () => {
  it('passes X11Forwarding no', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('passes when sshd -T lacks the key (OpenSSH default no)', () => {
    const subject = hostSubject({ sshd: sshd({ x11forwarding: undefined }) });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails X11Forwarding yes', () => {
    const subject = hostSubject({ sshd: sshd({ x11forwarding: 'yes' }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['x11-forwarding']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'sshd -T', path: 'x11forwarding', observed: 'yes', expected: 'no' });
  });

  it('is not evaluated (needs root) without root', () => {
    const subject = hostSubject({
      privilege: { root: false, sudo: 'requiretty' },
      sshd: undefined,
      notCollected: { sshd: { reason: 'needs-root', detail: 'sshd: not root, and sudo requires a tty (Defaults requiretty): lift it for this user' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated (needs root): sshd: not root, and sudo requires a tty (Defaults requiretty): lift it for this user');
  });

  it('is not evaluated when sshd -T failed', () => {
    const subject = hostSubject({ sshd: undefined, notCollected: { sshd: { reason: 'failed', detail: 'sshd: exited 255: /etc/ssh/sshd_config line 3: Bad configuration option' } } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: sshd: exited 255: /etc/ssh/sshd_config line 3: Bad configuration option');
  });
});

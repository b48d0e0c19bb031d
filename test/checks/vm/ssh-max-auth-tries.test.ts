import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/ssh-max-auth-tries.js';
import { hostFacts, hostSubject, messageIds, run } from '../../helpers/facts.js';

function sshd(changes: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...hostFacts().sshd, ...changes };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}

describe('checks/vm/ssh-max-auth-tries', () => {
  it.each(['1', '3', '4'])('passes MaxAuthTries %s', (value) => {
    const subject = hostSubject({ sshd: sshd({ maxauthtries: value }) });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails MaxAuthTries above 4', () => {
    const subject = hostSubject({ sshd: sshd({ maxauthtries: '10' }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['too-many-tries']);
    expect(result.violations[0]?.data).toMatchObject({ tries: 10, max: 4 });
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'sshd -T', path: 'maxauthtries', observed: 10 });
  });

  it('assumes the OpenSSH default 6 when sshd -T lacks the key', () => {
    const subject = hostSubject({ sshd: sshd({ maxauthtries: undefined }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['too-many-tries']);
    expect(result.violations[0]?.data).toMatchObject({ tries: 6 });
    expect(result.violations[0]?.evidence.source).toMatch(/OpenSSH default assumed/);
  });

  it('honours max', () => {
    const subject = hostSubject({ sshd: sshd({ maxauthtries: '6' }) });

    const result = run(check, subject, { max: 6 });

    expect(result.violations).toEqual([]);
  });

  it('is not evaluated when the value is not a number', () => {
    const subject = hostSubject({ sshd: sshd({ maxauthtries: 'many' }) });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: sshd -T reported maxauthtries "many", which is not a number');
  });

  it('is not evaluated without root', () => {
    const subject = hostSubject({ sshd: undefined, notCollected: { sshd: { reason: 'needs-root', detail: 'sshd: not root' } } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated (needs root): sshd: not root');
  });
});

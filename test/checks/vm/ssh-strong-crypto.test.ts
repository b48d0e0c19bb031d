import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/ssh-strong-crypto.js';
import { hostFacts, hostSubject, messageIds, run } from '../../helpers/facts.js';

function sshd(changes: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...hostFacts().sshd, ...changes };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}

describe('checks/vm/ssh-strong-crypto', () => {
  it('passes modern algorithms only', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    ['ciphers', 'aes256-gcm@openssh.com,aes128-cbc,aes256-cbc,3des-cbc,arcfour256,blowfish-cbc,cast128-cbc', 'weak-cipher',
      ['cipher:aes128-cbc', 'cipher:aes256-cbc', 'cipher:3des-cbc', 'cipher:arcfour256', 'cipher:blowfish-cbc', 'cipher:cast128-cbc']],
    ['macs', 'hmac-sha2-256-etm@openssh.com,hmac-md5,hmac-sha1-etm@openssh.com,umac-64@openssh.com,hmac-ripemd160', 'weak-mac',
      ['mac:hmac-md5', 'mac:hmac-sha1-etm@openssh.com', 'mac:umac-64@openssh.com', 'mac:hmac-ripemd160']],
    ['kexalgorithms', 'curve25519-sha256,diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1', 'weak-kex',
      ['kex:diffie-hellman-group1-sha1', 'kex:diffie-hellman-group14-sha1', 'kex:diffie-hellman-group-exchange-sha1']],
  ])('fails each weak entry in %s', (setting, value, messageId, keys) => {
    const subject = hostSubject({ sshd: sshd({ [setting]: value }) });

    const result = run(check, subject);

    expect(new Set(messageIds(result))).toEqual(new Set([messageId]));
    expect(result.violations.map((v) => v.key)).toEqual(keys);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'sshd -T', path: setting });
  });

  it('keeps NIST-curve ECDH unless rejectNistCurves is set', () => {
    const subject = hostSubject({ sshd: sshd({ kexalgorithms: 'curve25519-sha256,ecdh-sha2-nistp256,ecdh-sha2-nistp521' }) });

    const accepted = run(check, subject);
    const rejected = run(check, subject, { rejectNistCurves: true });

    expect(accepted.violations).toEqual([]);
    expect(rejected.violations.map((v) => v.key)).toEqual(['kex:ecdh-sha2-nistp256', 'kex:ecdh-sha2-nistp521']);
  });

  it('takes the lists from parameters', () => {
    const subject = hostSubject({ sshd: sshd({ ciphers: 'aes128-ctr,aes256-gcm@openssh.com' }) });

    const result = run(check, subject, { weakCiphers: ['aes*-ctr'] });

    expect(result.violations.map((v) => v.key)).toEqual(['cipher:aes128-ctr']);
  });

  it('assumes the OpenSSH compiled default MACs when sshd -T lacks them', () => {
    const subject = hostSubject({ sshd: sshd({ macs: undefined }) });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual([
      'mac:umac-64-etm@openssh.com',
      'mac:hmac-sha1-etm@openssh.com',
      'mac:umac-64@openssh.com',
      'mac:hmac-sha1',
    ]);
    expect(result.violations[0]?.evidence.source).toMatch(/OpenSSH default assumed/);
  });

  it('is not evaluated without root', () => {
    const subject = hostSubject({ sshd: undefined, notCollected: { sshd: { reason: 'needs-root', detail: 'sshd: not root' } } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated (needs root): sshd: not root');
  });
});

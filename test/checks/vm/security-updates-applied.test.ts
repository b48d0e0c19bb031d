import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/security-updates-applied.js';
import type { PendingUpdate } from '../../../src/model/facts.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

const OPENSSL: PendingUpdate = {
  name: 'openssl',
  installed: '3.0.15-1~deb12u1',
  candidate: '3.0.16-1~deb12u1',
  security: true,
  origin: 'Debian-Security:12/stable-security',
};
const LIBSSL: PendingUpdate = { ...OPENSSL, name: 'libssl3' };
const VIM: PendingUpdate = { name: 'vim', installed: '2:9.0.1378-2', candidate: '2:9.0.1378-2+deb12u1', security: false };

describe('checks/vm/security-updates-applied', () => {
  it('passes a host with no pending updates', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('passes a host whose only pending updates are not security updates', () => {
    const subject = hostSubject({ updates: { pending: [VIM], metadataAgeSeconds: 3600 } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails once per pending security update, keyed by package, with both versions in the evidence', () => {
    const subject = hostSubject({ updates: { pending: [OPENSSL, VIM, LIBSSL], metadataAgeSeconds: 3600 } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['security-update-pending', 'security-update-pending']);
    expect(result.violations.map((v) => v.key)).toEqual(['openssl', 'libssl3']);
    expect(result.violations[0]?.evidence).toMatchObject({
      source: 'pending updates',
      path: 'updates.pending',
      observed: { name: 'openssl', installed: '3.0.15-1~deb12u1', candidate: '3.0.16-1~deb12u1' },
    });
    expect(result.violations[0]?.data).toMatchObject({ installed: '3.0.15-1~deb12u1', candidate: '3.0.16-1~deb12u1', pendingSecurityUpdates: 2 });
  });

  it('reports a package pending for several architectures once', () => {
    const subject = hostSubject({ updates: { pending: [OPENSSL, { ...OPENSSL }], metadataAgeSeconds: 3600 } });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['openssl']);
  });

  it.each([
    [{ reason: 'failed', detail: 'updates-apt: exited 100: E: Could not get lock' } as const, 'not evaluated: updates-apt: exited 100: E: Could not get lock'],
    [{ reason: 'needs-root', detail: 'updates-dnf: not root' } as const, 'not evaluated (needs root): updates-dnf: not root'],
  ])('is not evaluated when pending updates were not collected (%j)', (why, reason) => {
    const subject = hostSubject({ updates: undefined, notCollected: { updates: why } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe(reason);
  });

  it('is not evaluated when updates are missing with no recorded reason', () => {
    const subject = hostSubject({ updates: undefined });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: pending updates not collected');
  });

  it('does not pass when pending updates could not be classified', () => {
    const subject = hostSubject({
      updates: { pending: [VIM], metadataAgeSeconds: 3600 },
      notCollected: { 'updates.security': { reason: 'unsupported-os', detail: 'updates-apk: Alpine publishes no security channel' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: updates-apk: Alpine publishes no security channel');
  });

  it('still fails on the security updates it knows when classification was partial', () => {
    const subject = hostSubject({
      updates: { pending: [OPENSSL], metadataAgeSeconds: 3600 },
      notCollected: { 'updates.security': { reason: 'failed', detail: 'updates-zypper-patch-info: no package list for 1 of 2 security patches' } },
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['security-update-pending']);
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/updates-applied.js';
import type { PendingUpdate } from '../../../src/model/facts.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

function update(name: string, security = false): PendingUpdate {
  return { name, installed: '1.0-1', candidate: '1.0-2', security };
}

describe('checks/vm/updates-applied', () => {
  it('passes a host with no pending updates', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('ignores security updates (judged by vm/security-updates-applied)', () => {
    const subject = hostSubject({ updates: { pending: [update('openssl', true)], metadataAgeSeconds: 3600 } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails with one summary violation counting the non-security updates', () => {
    const subject = hostSubject({ updates: { pending: [update('vim'), update('curl'), update('openssl', true)], metadataAgeSeconds: 3600 } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['updates-pending']);
    expect(result.violations[0]?.data).toMatchObject({ count: 2, maxPending: 0 });
    expect(result.violations[0]?.evidence).toMatchObject({
      source: 'pending updates',
      path: 'updates.pending',
      observed: [
        { name: 'vim', installed: '1.0-1', candidate: '1.0-2' },
        { name: 'curl', installed: '1.0-1', candidate: '1.0-2' },
      ],
    });
  });

  it.each([
    [2, 0],
    [1, 1],
  ])('honours maxPending = %d', (maxPending, expected) => {
    const subject = hostSubject({ updates: { pending: [update('vim'), update('curl')], metadataAgeSeconds: 3600 } });

    const result = run(check, subject, { maxPending });

    expect(result.violations).toHaveLength(expected);
  });

  it('says so when the updates could not be classified', () => {
    const subject = hostSubject({
      updates: { pending: [update('musl')], metadataAgeSeconds: 3600 },
      notCollected: { 'updates.security': { reason: 'unsupported-os', detail: 'updates-apk: no security channel' } },
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['updates-pending-unclassified']);
  });

  it('is not evaluated when pending updates were not collected', () => {
    const subject = hostSubject({ updates: undefined, notCollected: { updates: { reason: 'command-missing', detail: 'updates-apt: apt-get is not installed' } } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: updates-apt: apt-get is not installed');
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/reboot-not-required.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/vm/reboot-not-required', () => {
  it('passes a host that needs no reboot', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails a host that needs a reboot and lists the packages', () => {
    const subject = hostSubject({ rebootRequired: { required: true, packages: ['linux-image-6.1.0-28-amd64', 'libc6'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['reboot-required-by']);
    expect(result.violations[0]?.data).toMatchObject({ packages: 'linux-image-6.1.0-28-amd64, libc6' });
    expect(result.violations[0]?.evidence).toMatchObject({
      path: 'rebootRequired',
      observed: { required: true, packages: ['linux-image-6.1.0-28-amd64', 'libc6'] },
    });
  });

  it('fails without a package list when the distribution gives none', () => {
    const subject = hostSubject({ rebootRequired: { required: true, packages: [] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['reboot-required']);
  });

  it.each([
    [{ rebootRequired: { reason: 'command-missing', detail: 'reboot-required: needs-restarting is not installed' } }, 'not evaluated: reboot-required: needs-restarting is not installed'],
    [{ reboot: { reason: 'needs-root', detail: 'reboot-required: not root' } }, 'not evaluated (needs root): reboot-required: not root'],
    [{}, 'not evaluated: whether a reboot is required not collected'],
  ] as const)('is not evaluated when the state was not collected (%j)', (notCollected, reason) => {
    const subject = hostSubject({ rebootRequired: undefined, notCollected });

    const result = run(check, subject);

    expect(result.notApplicable).toBe(reason);
  });
});

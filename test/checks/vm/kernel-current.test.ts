import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/kernel-current.js';
import { hostFacts, hostSubject, messageIds, run } from '../../helpers/facts.js';

function kernel(release: string, newestInstalled?: string) {
  return { ...hostFacts().kernel, release, newestInstalled };
}

describe('checks/vm/kernel-current', () => {
  it.each([
    ['6.1.0-28-amd64', '6.1.0-28-amd64'],
    ['6.1.0-30-amd64', '6.1.0-28-amd64'],
    ['5.14.0-427.13.1.el9_4.x86_64', '5.14.0-362.24.1.el9_3.x86_64'],
    ['6.1.0-28-amd64', '6.1.0-28-cloud-amd64'],
    ['5.14.0-427.13.1.el9_4.x86_64+debug', '5.14.0-427.13.1.el9_4.x86_64'],
  ])('passes running %s with newest installed %s', (release, newest) => {
    const subject = hostSubject({ kernel: kernel(release, newest) });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    ['6.1.0-26-amd64', '6.1.0-28-amd64'],
    ['6.1.0-9-amd64', '6.1.0-10-amd64'],
    ['5.15.0-91-generic', '5.15.0-105-generic'],
    ['5.14.0-362.24.1.el9_3.x86_64', '5.14.0-427.13.1.el9_4.x86_64'],
    ['6.6.31-0-virt', '6.6.32-0-virt'],
  ])('fails running %s when %s is installed', (release, newest) => {
    const subject = hostSubject({ kernel: kernel(release, newest) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['kernel-outdated']);
    expect(result.violations[0]?.evidence).toMatchObject({ path: 'kernel.release', observed: release, expected: newest });
  });

  it('is not evaluated when the installed kernels were not collected', () => {
    const subject = hostSubject({
      kernel: kernel('6.1.0-28-amd64'),
      notCollected: { 'kernel.newestInstalled': { reason: 'failed', detail: 'kernels: no versioned kernel in /boot' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: kernels: no versioned kernel in /boot');
  });

  it('is not evaluated when the running release is unknown', () => {
    const subject = hostSubject({
      kernel: kernel('', '6.1.0-28-amd64'),
      notCollected: { kernel: { reason: 'failed', detail: 'uname: unrecognised output' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: uname: unrecognised output');
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-privileged.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-privileged', () => {
  it('passes an unprivileged container', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails a privileged container', () => {
    const subject = containerSubject({ container: { privileged: true } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['privileged']);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.Privileged');
  });
});

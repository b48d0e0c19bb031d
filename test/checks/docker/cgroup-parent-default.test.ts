import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/cgroup-parent-default.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/cgroup-parent-default', () => {
  it('passes a container under the default parent cgroup', () => {
    const subject = containerSubject({ container: { cgroupParent: '' } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each(['/custom', 'unlimited.slice'])('fails a container under custom parent cgroup %s', (cgroupParent) => {
    const subject = containerSubject({ container: { cgroupParent } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['custom-cgroup-parent']);
    expect(result.violations[0]?.data).toMatchObject({ cgroupParent });
    expect(result.violations[0]?.evidence).toMatchObject({ path: 'HostConfig.CgroupParent', observed: cgroupParent });
  });
});

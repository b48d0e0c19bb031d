import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-host-cgroupns.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-host-cgroupns', () => {
  it('passes a container with a private cgroup namespace', () => {
    const subject = containerSubject({ container: { cgroupnsMode: 'private' } });

    const result = run(check, subject);

    expect(result).toEqual({ violations: [] });
  });

  it.each(['1', '2'])('fails a container in the host cgroup namespace on cgroup v%s', (cgroupVersion) => {
    const subject = containerSubject({ container: { cgroupnsMode: 'host' }, engine: { cgroupVersion } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-cgroupns']);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.CgroupnsMode');
    expect(result.violations[0]?.data?.['cgroupVersion']).toBe(cgroupVersion);
  });

  it('does not apply when the engine does not report the mode', () => {
    const subject = containerSubject({ container: { cgroupnsMode: '' } });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/does not report/);
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-host-devices.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-host-devices', () => {
  it('passes a container without devices or device cgroup rules', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails once per host device, keyed by container path', () => {
    const subject = containerSubject({
      container: {
        devices: [
          { hostPath: '/dev/sda', containerPath: '/dev/xvda', permissions: 'rwm' },
          { hostPath: '/dev/ttyUSB0', containerPath: '/dev/ttyUSB0', permissions: 'r' },
        ],
      },
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-device', 'host-device']);
    expect(result.violations.map((v) => v.key)).toEqual(['/dev/xvda', '/dev/ttyUSB0']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.Devices[].PathOnHost' });
    expect(result.violations[0]?.data).toMatchObject({ hostPath: '/dev/sda', containerPath: '/dev/xvda' });
  });

  it.each(['a *:* rwm', 'a 1:3 r', 'a', 'c *:* rwm', 'b *:* rw', 'c  *:*  r'])(
    'fails device cgroup rule %j, which allows every device',
    (rule) => {
      const subject = containerSubject({ container: { deviceCgroupRules: [rule] } });

      const result = run(check, subject);

      expect(messageIds(result)).toEqual(['all-devices-rule']);
      expect(result.violations[0]?.evidence).toMatchObject({ path: 'HostConfig.DeviceCgroupRules[]', observed: rule });
    },
  );

  it.each(['c 189:* rwm', 'c 1:3 rw', 'b 8:0 r', 'c *:* m', 'b *:* m', 'c *:5 rw'])(
    'passes scoped or mknod-only device cgroup rule %j',
    (rule) => {
      const subject = containerSubject({ container: { deviceCgroupRules: [rule] } });

      const result = run(check, subject);

      expect(result.violations).toEqual([]);
    },
  );

  it('reports devices and wildcard rules together with distinct keys', () => {
    const subject = containerSubject({
      container: {
        devices: [{ hostPath: '/dev/fuse', containerPath: '/dev/fuse', permissions: 'rwm' }],
        deviceCgroupRules: ['c 10:229 rwm', 'a *:* rwm'],
      },
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-device', 'all-devices-rule']);
    expect(result.violations.map((v) => v.key)).toEqual(['/dev/fuse', 'a *:* rwm']);
  });
});

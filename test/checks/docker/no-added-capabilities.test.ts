import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-added-capabilities.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-added-capabilities', () => {
  it('passes a container that adds no capability', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails each added capability, keyed by name', () => {
    const subject = containerSubject({ container: { capAdd: ['NET_ADMIN', 'SYS_PTRACE'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['added-capability', 'added-capability']);
    expect(result.violations.map((v) => v.key)).toEqual(['NET_ADMIN', 'SYS_PTRACE']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.CapAdd' });
  });

  it.each([
    { allowed: ['NET_BIND_SERVICE'] },
    { allowed: ['net_bind_service'] },
    { allowed: ['CAP_NET_BIND_SERVICE'] },
    { allowed: [' cap_net_bind_service '] },
  ])('passes a capability allowed as $allowed', ({ allowed }) => {
    const subject = containerSubject({ container: { capAdd: ['NET_BIND_SERVICE'] } });

    const result = run(check, subject, { allowedCapabilities: allowed });

    expect(result.violations).toEqual([]);
  });

  it('fails only the capabilities not allowed', () => {
    const subject = containerSubject({ container: { capAdd: ['NET_BIND_SERVICE', 'SYS_ADMIN'] } });

    const result = run(check, subject, { allowedCapabilities: ['NET_BIND_SERVICE'] });

    expect(result.violations.map((v) => v.key)).toEqual(['SYS_ADMIN']);
  });

  it.each([{ allowed: [] }, { allowed: ['ALL'] }, { allowed: ['all', 'SYS_ADMIN'] }])(
    'fails ALL even when allowed is $allowed',
    ({ allowed }) => {
      const subject = containerSubject({ container: { capAdd: ['ALL'] } });

      const result = run(check, subject, { allowedCapabilities: allowed });

      expect(messageIds(result)).toEqual(['all-capabilities']);
      expect(result.violations[0]?.key).toBe('ALL');
    },
  );

  it('reports a capability listed twice once', () => {
    const subject = containerSubject({ container: { capAdd: ['SYS_ADMIN', 'CAP_SYS_ADMIN'] } });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['SYS_ADMIN']);
  });
});

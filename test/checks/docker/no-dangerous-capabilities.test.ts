import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-dangerous-capabilities.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-dangerous-capabilities', () => {
  it('passes a container that adds no capabilities', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('passes a container that adds only harmless capabilities', () => {
    const subject = containerSubject({ container: { capAdd: ['NET_BIND_SERVICE', 'CHOWN'] } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each(['SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'DAC_READ_SEARCH', 'NET_ADMIN', 'BPF', 'MAC_ADMIN'])(
    'fails a container that adds %s',
    (capability) => {
      const subject = containerSubject({ container: { capAdd: [capability] } });

      const result = run(check, subject);

      expect(messageIds(result)).toEqual(['dangerous-capability']);
      expect(result.violations[0]?.key).toBe(capability);
      expect(result.violations[0]?.evidence.path).toBe('HostConfig.CapAdd');
    },
  );

  it('reports one violation per dangerous capability, ignoring case, prefix and duplicates', () => {
    const subject = containerSubject({
      container: { capAdd: ['SYS_ADMIN', 'cap_sys_ptrace', 'NET_BIND_SERVICE', 'CAP_SYS_ADMIN'] },
    });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['SYS_ADMIN', 'SYS_PTRACE']);
  });

  it('fails a container that adds ALL', () => {
    const subject = containerSubject({ container: { capAdd: ['ALL'], capDrop: [] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['all-capabilities']);
    expect(result.violations[0]?.key).toBe('ALL');
  });

  it('fails ALL even when the policy does not list it, since ALL grants the listed ones', () => {
    const subject = containerSubject({ container: { capAdd: ['ALL'], capDrop: [] } });

    const result = run(check, subject, { dangerousCapabilities: ['SYS_ADMIN'] });

    expect(messageIds(result)).toEqual(['all-capabilities']);
  });

  it('passes ALL when every listed capability is dropped and ALL itself is not listed', () => {
    const subject = containerSubject({ container: { capAdd: ['ALL'], capDrop: ['SYS_ADMIN'] } });

    const result = run(check, subject, { dangerousCapabilities: ['SYS_ADMIN'] });

    expect(result.violations).toEqual([]);
  });

  it('fails a privileged container with its own message', () => {
    const subject = containerSubject({ container: { privileged: true, capAdd: ['SYS_ADMIN'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['privileged']);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.Privileged');
  });

  it('honours a policy that narrows the dangerous list', () => {
    const subject = containerSubject({ container: { capAdd: ['NET_ADMIN', 'SYS_ADMIN'] } });

    const result = run(check, subject, { dangerousCapabilities: ['CAP_SYS_ADMIN'] });

    expect(result.violations.map((v) => v.key)).toEqual(['SYS_ADMIN']);
  });
});

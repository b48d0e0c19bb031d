import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-unsafe-sysctls.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-unsafe-sysctls', () => {
  it('passes a container without sysctls', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    'kernel.shm_rmid_forced',
    'kernel.shmmax',
    'kernel.shmall',
    'kernel.shmmni',
    'kernel.msgmax',
    'kernel.sem',
    'fs.mqueue.msg_max',
    'net.ipv4.ip_unprivileged_port_start',
    'net/ipv4/tcp_syncookies',
  ])('passes the namespaced sysctl %s', (sysctl) => {
    const subject = containerSubject({ container: { sysctls: { [sysctl]: '1' } } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each(['vm.overcommit_memory', 'kernel.core_pattern', 'kernel.randomize_va_space', 'fs.file-max', 'kernel.semx'])(
    'fails the host-wide sysctl %s',
    (sysctl) => {
      const subject = containerSubject({ container: { sysctls: { [sysctl]: '0' } } });

      const result = run(check, subject);

      expect(messageIds(result)).toEqual(['not-namespaced']);
      expect(result.violations[0]?.key).toBe(sysctl);
      expect(result.violations[0]?.evidence).toMatchObject({ path: 'HostConfig.Sysctls', observed: sysctl });
    },
  );

  it('fails net.* in the host network namespace', () => {
    const subject = containerSubject({ container: { networkMode: 'host', sysctls: { 'net.ipv4.ip_forward': '1' } } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-namespace']);
    expect(result.violations[0]?.data?.['namespace']).toBe('network');
  });

  it('fails IPC sysctls in the host IPC namespace', () => {
    const subject = containerSubject({ container: { ipcMode: 'host', sysctls: { 'kernel.shmmax': '68719476736' } } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-namespace']);
    expect(result.violations[0]?.data?.['namespace']).toBe('IPC');
  });

  it('never puts sysctl values in violations', () => {
    const subject = containerSubject({ container: { sysctls: { 'kernel.core_pattern': '|/tmp/SENTINEL-VALUE' } } });

    const result = run(check, subject);

    expect(JSON.stringify(result)).not.toContain('SENTINEL-VALUE');
  });

  it('reports each unsafe sysctl once, sorted', () => {
    const subject = containerSubject({
      container: { sysctls: { 'vm.swappiness': '1', 'kernel.msgmax': '1', 'kernel.core_pattern': 'x' } },
    });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['kernel.core_pattern', 'vm.swappiness']);
  });

  it.each([
    [['vm.overcommit_memory'], 'vm.overcommit_memory'],
    [['vm.*'], 'vm.overcommit_memory'],
    [['net.ipv4.*'], 'net.ipv4.ip_forward'],
  ])('accepts sysctls allowed by the policy (%j)', (allowedSysctls, sysctl) => {
    const subject = containerSubject({ container: { networkMode: 'host', sysctls: { [sysctl]: '1' } } });

    const result = run(check, subject, { allowedSysctls });

    expect(result.violations).toEqual([]);
  });
});

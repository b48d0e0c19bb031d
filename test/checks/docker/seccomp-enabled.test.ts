import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/seccomp-enabled.js';
import { containerSubject, engineFacts, messageIds, run } from '../../helpers/facts.js';

function engineSecurity(overrides: Partial<ReturnType<typeof engineFacts>['security']>) {
  return { security: { ...engineFacts().security, ...overrides } };
}

describe('checks/docker/seccomp-enabled', () => {
  it.each([
    ['the engine default profile', ['no-new-privileges:true']],
    ['a custom profile', ['seccomp={"defaultAction":"SCMP_ACT_ERRNO"}']],
    ['the builtin profile by name', ['seccomp=builtin']],
  ])('passes a container with %s', (_name, securityOpt) => {
    const subject = containerSubject({ container: { securityOpt } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each(['seccomp=unconfined', 'seccomp:unconfined'])('fails securityOpt %s', (entry) => {
    const subject = containerSubject({ container: { securityOpt: [entry] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['unconfined']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.SecurityOpt' });
  });

  it('fails a privileged container, even with a profile requested', () => {
    const subject = containerSubject({ container: { privileged: true, securityOpt: ['seccomp=builtin'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['privileged']);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.Privileged');
  });

  it('fails when the engine has no seccomp support', () => {
    const subject = containerSubject({ engine: engineSecurity({ seccomp: false, seccompProfile: undefined }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['engine-unsupported']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'engine info', path: 'SecurityOptions' });
  });

  it('fails a container without its own profile when the engine default is unconfined', () => {
    const subject = containerSubject({ engine: engineSecurity({ seccompProfile: 'unconfined' }) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['engine-default-unconfined']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'engine info', path: 'SecurityOptions' });
  });

  it('passes a container with its own profile when the engine default is unconfined', () => {
    const subject = containerSubject({
      container: { securityOpt: ['seccomp={"defaultAction":"SCMP_ACT_ERRNO"}'] },
      engine: engineSecurity({ seccompProfile: 'unconfined' }),
    });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('reports every cause with a distinct key', () => {
    const subject = containerSubject({
      container: { privileged: true, securityOpt: ['seccomp=unconfined'] },
      engine: engineSecurity({ seccomp: false, seccompProfile: undefined }),
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['engine-unsupported', 'privileged', 'unconfined']);
    expect(new Set(result.violations.map((v) => v.key)).size).toBe(3);
  });
});

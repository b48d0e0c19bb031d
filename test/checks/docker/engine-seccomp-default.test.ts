import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-seccomp-default.js';
import { engineFacts, engineSubject, messageIds, run } from '../../helpers/facts.js';

const security = engineFacts().security;

describe('checks/docker/engine-seccomp-default', () => {
  it.each(['builtin', 'default', '/etc/docker/seccomp.json', undefined])('passes an engine whose default profile is %j', (profile) => {
    const subject = engineSubject({ security: { ...security, seccomp: true, seccompProfile: profile } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails an engine whose default profile is unconfined', () => {
    const subject = engineSubject({ security: { ...security, seccomp: true, seccompProfile: 'unconfined' } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['seccomp-unconfined']);
    expect(result.violations[0]?.evidence).toMatchObject({
      source: 'engine info',
      path: 'SecurityOptions',
      observed: 'name=seccomp,profile=unconfined',
    });
  });

  it('fails an engine without seccomp support', () => {
    const subject = engineSubject({ security: { ...security, seccomp: false, seccompProfile: undefined } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['seccomp-unavailable']);
    expect(result.violations[0]?.evidence.path).toBe('SecurityOptions');
  });
});

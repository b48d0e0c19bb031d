import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-new-privileges.js';
import { containerSubject, engineFacts, messageIds, run } from '../../helpers/facts.js';

function engineEnforces(noNewPrivileges: boolean) {
  return { security: { ...engineFacts().security, noNewPrivileges } };
}

describe('checks/docker/no-new-privileges', () => {
  it.each([['no-new-privileges:true'], ['no-new-privileges=true'], ['no-new-privileges']])(
    'passes a container setting %s on an engine that does not enforce it',
    (entry) => {
      const subject = containerSubject({ container: { securityOpt: [entry] }, engine: engineEnforces(false) });

      const result = run(check, subject);

      expect(result.violations).toEqual([]);
    },
  );

  it('passes a container without the option when the engine enforces it', () => {
    const subject = containerSubject({ container: { securityOpt: [] }, engine: engineEnforces(true) });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails when neither the container nor the engine sets it, showing both sides', () => {
    const subject = containerSubject({ container: { securityOpt: ['seccomp=builtin'] }, engine: engineEnforces(false) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['not-set']);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.SecurityOpt');
    expect(result.violations[0]?.evidence.observed).toEqual({
      'HostConfig.SecurityOpt': ['seccomp=builtin'],
      'SecurityOptions name=no-new-privileges': false,
    });
  });

  it.each(['no-new-privileges=false', 'no-new-privileges:false', 'no-new-privileges=0'])(
    'fails a container that turns off the engine default with %s',
    (entry) => {
      const subject = containerSubject({ container: { securityOpt: [entry] }, engine: engineEnforces(true) });

      const result = run(check, subject);

      expect(messageIds(result)).toEqual(['opted-out']);
      expect(result.violations[0]?.evidence.path).toBe('HostConfig.SecurityOpt');
    },
  );

  it('fails as not set when the container turns it off and the engine does not enforce it', () => {
    const subject = containerSubject({ container: { securityOpt: ['no-new-privileges=false'] }, engine: engineEnforces(false) });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['not-set']);
  });

  it('takes the last no-new-privileges entry, as the engine does', () => {
    const subject = containerSubject({
      container: { securityOpt: ['no-new-privileges=false', 'no-new-privileges=true'] },
      engine: engineEnforces(true),
    });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });
});

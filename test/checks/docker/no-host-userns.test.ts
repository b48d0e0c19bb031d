import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-host-userns.js';
import { containerSubject, engineFacts, messageIds, run } from '../../helpers/facts.js';

const withoutUserns = { security: { ...engineFacts().security, userns: false } };

describe('checks/docker/no-host-userns', () => {
  it('passes a container using the remapped user namespace', () => {
    const subject = containerSubject({ container: { usernsMode: '' } });

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it("fails a container sharing the host's user namespace", () => {
    const subject = containerSubject({ container: { usernsMode: 'host' } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-userns']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.UsernsMode', observed: 'host' });
  });

  it('does not apply when the engine does not remap user namespaces, pointing to the engine check', () => {
    const subject = containerSubject({ container: { usernsMode: 'host' }, engine: withoutUserns });

    const result = run(check, subject);

    expect(result.notApplicable).toContain('docker/engine-userns-or-rootless');
    expect(result.violations).toEqual([]);
  });
});

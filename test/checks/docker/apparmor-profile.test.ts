import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/apparmor-profile.js';
import { containerSubject, engineFacts, messageIds, run } from '../../helpers/facts.js';

const noAppArmor = { security: { ...engineFacts().security, apparmor: false } };

describe('checks/docker/apparmor-profile', () => {
  it.each(['docker-default', 'custom-nginx'])('passes a container confined by %s', (appArmorProfile) => {
    const subject = containerSubject({ container: { appArmorProfile } });

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it.each([
    { case: 'AppArmorProfile unconfined', container: { appArmorProfile: 'unconfined' }, id: 'unconfined', path: 'AppArmorProfile' },
    {
      case: 'apparmor=unconfined',
      container: { appArmorProfile: 'unconfined', securityOpt: ['apparmor=unconfined'] },
      id: 'unconfined',
      path: 'HostConfig.SecurityOpt',
    },
    {
      case: 'legacy apparmor:unconfined',
      container: { appArmorProfile: '', securityOpt: ['apparmor:unconfined'] },
      id: 'unconfined',
      path: 'HostConfig.SecurityOpt',
    },
    { case: 'privileged', container: { privileged: true, appArmorProfile: 'unconfined' }, id: 'privileged', path: 'HostConfig.Privileged' },
    { case: 'no profile', container: { appArmorProfile: '' }, id: 'no-profile', path: 'AppArmorProfile' },
  ])('fails a container with $case', ({ container, id, path }) => {
    const subject = containerSubject({ container });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual([id]);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path });
  });

  it('is not applicable when the engine has no AppArmor, even with an empty profile', () => {
    const subject = containerSubject({ engine: noAppArmor, container: { appArmorProfile: '' } });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/AppArmor is not enabled on the engine/);
    expect(result.violations).toEqual([]);
  });
});

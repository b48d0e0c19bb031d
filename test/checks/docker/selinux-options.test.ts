import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/selinux-options.js';
import { containerSubject, engineFacts, messageIds, run } from '../../helpers/facts.js';

const selinuxEngine = { security: { ...engineFacts().security, apparmor: false, selinux: true } };

describe('checks/docker/selinux-options', () => {
  it.each([
    { case: 'no label options', securityOpt: ['no-new-privileges:true'] },
    { case: 'a confined custom type', securityOpt: ['label=type:svirt_apache_t'] },
    { case: 'an MCS level', securityOpt: ['label=level:s0:c100,c200'] },
  ])('passes a container with $case', ({ securityOpt }) => {
    const subject = containerSubject({ engine: selinuxEngine, container: { securityOpt } });

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it.each([
    { case: 'label=disable', container: { securityOpt: ['label=disable'] }, id: 'label-disabled', path: 'HostConfig.SecurityOpt' },
    { case: 'label:disable', container: { securityOpt: ['label:disable'] }, id: 'label-disabled', path: 'HostConfig.SecurityOpt' },
    { case: 'type spc_t', container: { securityOpt: ['label=type:spc_t'] }, id: 'unconfined-type', path: 'HostConfig.SecurityOpt' },
    { case: 'privileged', container: { privileged: true }, id: 'privileged', path: 'HostConfig.Privileged' },
  ])('fails a container with $case', ({ container, id, path }) => {
    const subject = containerSubject({ engine: selinuxEngine, container });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual([id]);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path });
  });

  it('is not applicable when SELinux is not enabled on the engine', () => {
    const subject = containerSubject({ container: { securityOpt: ['label=disable'] } });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/SELinux is not enabled on the engine/);
    expect(result.violations).toEqual([]);
  });
});

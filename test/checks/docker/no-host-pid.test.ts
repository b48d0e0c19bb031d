import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-host-pid.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-host-pid', () => {
  it.each(['', 'private', 'container:c0ffee'])('passes PID mode %j', (pidMode) => {
    const subject = containerSubject({ container: { pidMode } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails a container in the host PID namespace', () => {
    const subject = containerSubject({ container: { pidMode: 'host' } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-pid']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.PidMode', observed: 'host' });
  });
});

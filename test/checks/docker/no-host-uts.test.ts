import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-host-uts.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-host-uts', () => {
  it.each(['', 'private'])('passes UTS mode %j', (utsMode) => {
    const subject = containerSubject({ container: { utsMode } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it("fails a container sharing the host's UTS namespace", () => {
    const subject = containerSubject({ container: { utsMode: 'host' } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-uts']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.UTSMode', observed: 'host' });
  });
});

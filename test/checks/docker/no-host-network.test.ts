import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-host-network.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-host-network', () => {
  it.each(['app-net', 'bridge', 'default', 'none', 'container:c0ffee'])('passes network mode %s', (networkMode) => {
    const subject = containerSubject({ container: { networkMode } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails a container on the host network', () => {
    const subject = containerSubject({ container: { networkMode: 'host', networks: ['host'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-network']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.NetworkMode', observed: 'host' });
  });
});

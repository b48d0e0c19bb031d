import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-default-bridge.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-default-bridge', () => {
  it('passes a container on a user-defined network', () => {
    const subject = containerSubject({ container: { networkMode: 'app-net', networks: ['app-net'] } });

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it.each(['default', 'bridge', ''])('fails network mode %j', (networkMode) => {
    const subject = containerSubject({ container: { networkMode, networks: ['bridge'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['default-bridge']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.NetworkMode', observed: networkMode });
  });

  it('fails a container on a user-defined network that is also attached to the default bridge', () => {
    const subject = containerSubject({ container: { networkMode: 'app-net', networks: ['app-net', 'bridge'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['attached-to-default-bridge']);
    expect(result.violations[0]?.evidence.path).toBe('NetworkSettings.Networks');
  });

  it.each([
    ['none', 'networking disabled'],
    ['host', 'docker/no-host-network'],
    ['container:4f1c2e', "another container's network stack"],
  ])('does not apply to network mode %s', (networkMode, reason) => {
    const subject = containerSubject({ container: { networkMode, networks: [] } });

    const result = run(check, subject);

    expect(result.notApplicable).toContain(reason);
  });
});

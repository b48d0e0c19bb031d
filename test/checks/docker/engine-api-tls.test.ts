import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-api-tls.js';
import type { EngineTransport } from '../../../src/model/facts.js';
import { engineSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/engine-api-tls', () => {
  it.each<[EngineTransport, string]>([
    ['unix', 'unix:///var/run/docker.sock'],
    ['npipe', 'npipe:////./pipe/docker_engine'],
    ['ssh', 'ssh://ops@docker-host-1'],
    ['tls', 'https://docker-host-1:2376'],
  ])('passes an engine reached over %s', (transport, endpoint) => {
    const subject = engineSubject({ transport, endpoint });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails an engine reached over plain TCP', () => {
    const subject = engineSubject({ transport: 'tcp', endpoint: 'tcp://docker-host-1:2375' });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['plain-tcp']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'connection', path: 'endpoint', observed: 'tcp://docker-host-1:2375' });
  });
});

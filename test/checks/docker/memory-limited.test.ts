import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/memory-limited.js';
import { containerFacts, containerSubject, messageIds, run } from '../../helpers/facts.js';

const resources = containerFacts().resources;

describe('checks/docker/memory-limited', () => {
  it('passes a container with a memory limit', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails a container without a memory limit', () => {
    const subject = containerSubject({ container: { resources: { ...resources, memory: 0, memorySwap: 0 } } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-memory-limit']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.Memory', observed: 0 });
  });

  it('fails a container with only a memory reservation', () => {
    const subject = containerSubject({ container: { resources: { ...resources, memory: 0, memoryReservation: 134217728 } } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-memory-limit']);
  });
});

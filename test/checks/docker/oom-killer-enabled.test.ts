import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/oom-killer-enabled.js';
import { containerFacts, containerSubject, messageIds, run } from '../../helpers/facts.js';

const resources = containerFacts().resources;

describe('checks/docker/oom-killer-enabled', () => {
  it('passes a container with the OOM killer enabled', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    [268435456, 'oom-kill-disabled'],
    [0, 'oom-kill-disabled-unlimited'],
  ])('fails a container with the OOM killer disabled and memory %d', (memory, messageId) => {
    const subject = containerSubject({ container: { resources: { ...resources, oomKillDisable: true, memory } } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual([messageId]);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.OomKillDisable');
  });
});

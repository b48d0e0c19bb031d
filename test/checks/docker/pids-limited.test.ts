import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/pids-limited.js';
import { containerFacts, containerSubject, messageIds, run } from '../../helpers/facts.js';

function withPidsLimit(pidsLimit: number | null) {
  return containerSubject({ container: { resources: { ...containerFacts().resources, pidsLimit } } });
}

describe('checks/docker/pids-limited', () => {
  it.each([1, 100, 4096])('passes a PIDs limit of %d', (limit) => {
    const subject = withPidsLimit(limit);

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([null, 0, -1])('fails a PIDs limit of %j (unlimited)', (limit) => {
    const subject = withPidsLimit(limit);

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['unlimited']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.PidsLimit', observed: limit });
  });
});

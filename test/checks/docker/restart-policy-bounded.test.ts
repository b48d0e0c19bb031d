import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/restart-policy-bounded.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/restart-policy-bounded', () => {
  it.each([
    { name: 'no', maximumRetryCount: 0 },
    { name: '', maximumRetryCount: 0 },
    { name: 'on-failure', maximumRetryCount: 1 },
    { name: 'on-failure', maximumRetryCount: 5 },
  ])('passes restart policy $name with $maximumRetryCount retries', (restartPolicy) => {
    const subject = containerSubject({ container: { restartPolicy } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    { policy: { name: 'always', maximumRetryCount: 0 }, id: 'unbounded-policy', path: 'HostConfig.RestartPolicy.Name' },
    { policy: { name: 'unless-stopped', maximumRetryCount: 0 }, id: 'unbounded-policy', path: 'HostConfig.RestartPolicy.Name' },
    { policy: { name: 'on-failure', maximumRetryCount: 0 }, id: 'unlimited-retries', path: 'HostConfig.RestartPolicy.MaximumRetryCount' },
    { policy: { name: 'on-failure', maximumRetryCount: 6 }, id: 'too-many-retries', path: 'HostConfig.RestartPolicy.MaximumRetryCount' },
  ])('fails restart policy $policy.name with $policy.maximumRetryCount retries', ({ policy, id, path }) => {
    const subject = containerSubject({ container: { restartPolicy: policy } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual([id]);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path });
  });

  it.each([
    { maxRetries: 10, retries: 10, ids: [] },
    { maxRetries: 3, retries: 4, ids: ['too-many-retries'] },
    { maxRetries: 3, retries: 3, ids: [] },
  ])('honours maxRetries $maxRetries for $retries retries', ({ maxRetries, retries, ids }) => {
    const subject = containerSubject({ container: { restartPolicy: { name: 'on-failure', maximumRetryCount: retries } } });

    const result = run(check, subject, { maxRetries });

    expect(messageIds(result)).toEqual(ids);
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/cpu-limited.js';
import { containerFacts, containerSubject, messageIds, run } from '../../helpers/facts.js';

const unlimited = { ...containerFacts().resources, cpuShares: 0, nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, cpusetCpus: '' };

describe('checks/docker/cpu-limited', () => {
  it.each([
    { case: '--cpus', cpu: { nanoCpus: 1_500_000_000 } },
    { case: '--cpu-quota', cpu: { cpuQuota: 50_000, cpuPeriod: 100_000 } },
    { case: '--cpu-shares 512', cpu: { cpuShares: 512 } },
    { case: '--cpuset-cpus', cpu: { cpusetCpus: '0-1' } },
  ])('passes a container with $case', ({ cpu }) => {
    const subject = containerSubject({ container: { resources: { ...unlimited, ...cpu } } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    { case: 'no CPU settings', cpu: {} },
    { case: 'the default weight --cpu-shares 1024', cpu: { cpuShares: 1024 } },
    { case: 'an unlimited quota of -1', cpu: { cpuQuota: -1 } },
  ])('fails a container with $case', ({ cpu }) => {
    const subject = containerSubject({ container: { resources: { ...unlimited, ...cpu } } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-cpu-limit']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig' });
  });
});

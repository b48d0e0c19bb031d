import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/masked-paths-kept.js';
import { containerFacts, containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/masked-paths-kept', () => {
  it("passes a container with the engine's default masked paths", () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    [{ privileged: true }, 'privileged'],
    [{ privileged: true, maskedPaths: containerFacts().maskedPaths }, 'privileged'],
    [{ maskedPaths: [], securityOpt: ['systempaths=unconfined'] }, 'systempaths=unconfined'],
    [{ maskedPaths: [] }, 'masked paths cleared'],
  ])('fails once when masking is removed (%j)', (container, cause) => {
    const subject = containerSubject({ container });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['masking-removed']);
    expect(result.violations[0]?.data?.['cause']).toBe(cause);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.MaskedPaths');
  });

  it('reports each required path missing from a custom list', () => {
    const subject = containerSubject({ container: { maskedPaths: ['/proc/kcore', '/proc/keys', '/proc/acpi'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['path-not-masked', 'path-not-masked', 'path-not-masked']);
    expect(result.violations.map((v) => v.key)).toEqual(['/proc/timer_list', '/proc/sched_debug', '/sys/firmware']);
  });
});

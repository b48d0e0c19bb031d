import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/read-only-rootfs.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/read-only-rootfs', () => {
  it('passes a container with a read-only root filesystem', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails a container with a writable root filesystem', () => {
    const subject = containerSubject({ container: { readonlyRootfs: false } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['writable-rootfs']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.ReadonlyRootfs', observed: false });
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-host-ipc.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-host-ipc', () => {
  it.each(['private', 'shareable', 'none', '', 'container:db'])('passes IPC mode %j', (ipcMode) => {
    const subject = containerSubject({ container: { ipcMode } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it("fails a container sharing the host's IPC namespace", () => {
    const subject = containerSubject({ container: { ipcMode: 'host' } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['host-ipc']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.IpcMode', observed: 'host' });
  });
});

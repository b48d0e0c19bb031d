import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-sshd.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/no-sshd', () => {
  it.each([
    { case: 'an application', processes: [{ command: 'app', user: '10001' }] },
    { case: 'no processes', processes: [] },
    { case: 'an ssh client and agent', processes: [{ command: 'ssh', user: 'git' }, { command: 'ssh-agent', user: 'git' }] },
    { case: 'a program whose name starts with sshd', processes: [{ command: 'sshdump', user: '10001' }] },
  ])('passes a container running $case', ({ processes }) => {
    const subject = containerSubject({ container: { processes } });

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it.each([
    { command: 'sshd', key: 'sshd' },
    { command: '/usr/sbin/sshd', key: 'sshd' },
    { command: 'sshd:', key: 'sshd' },
    { command: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', key: 'sshd' },
    { command: 'sshd: alice@pts/0', key: 'sshd' },
    { command: 'sshd-session: alice [priv]', key: 'sshd-session' },
  ])('fails a container running $command', ({ command, key }) => {
    const subject = containerSubject({ container: { processes: [{ command: 'app', user: '10001' }, { command, user: 'root' }] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['sshd']);
    expect(result.violations[0]?.key).toBe(key);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container top', path: 'Processes[].CMD', observed: command });
  });

  it('reports each sshd program once', () => {
    const subject = containerSubject({
      container: {
        processes: [
          { command: 'sshd', user: 'root' },
          { command: 'sshd: alice [priv]', user: 'root' },
          { command: 'sshd: alice@pts/0', user: 'alice' },
        ],
      },
    });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['sshd']);
  });

  it('is not applicable when the container is not running', () => {
    const subject = containerSubject({ container: { state: 'exited', processes: undefined } });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/not running/);
    expect(result.violations).toEqual([]);
  });

  it('is not evaluated when a running container\'s process list was not collected', () => {
    const subject = containerSubject({ container: { state: 'running', processes: undefined } });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/^Not evaluated: the process list was not collected/);
  });
});

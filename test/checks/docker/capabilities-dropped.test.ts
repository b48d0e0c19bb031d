import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/capabilities-dropped.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/capabilities-dropped', () => {
  it.each([[['ALL']], [['all']]])('passes a container that drops %j', (capDrop) => {
    const subject = containerSubject({ container: { capDrop, capAdd: ['NET_BIND_SERVICE'] } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([[[]], [['NET_RAW', 'MKNOD']]])('fails a container that drops %j but not ALL', (capDrop) => {
    const subject = containerSubject({ container: { capDrop } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['not-dropped-all']);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.CapDrop');
  });

  it.each([[['NET_RAW']], [['cap_mknod']], [['AUDIT_WRITE', 'CHOWN']]])(
    'passes %j when requireDropAll is false and a risky default is dropped',
    (capDrop) => {
      const subject = containerSubject({ container: { capDrop } });

      const result = run(check, subject, { requireDropAll: false });

      expect(result.violations).toEqual([]);
    },
  );

  it.each([[[]], [['CHOWN', 'KILL']]])('fails %j when requireDropAll is false and no risky default is dropped', (capDrop) => {
    const subject = containerSubject({ container: { capDrop } });

    const result = run(check, subject, { requireDropAll: false });

    expect(messageIds(result)).toEqual(['no-risky-dropped']);
  });

  it('fails when ALL is dropped but added back', () => {
    const subject = containerSubject({ container: { capDrop: ['ALL'], capAdd: ['ALL'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['drop-all-overridden']);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.CapAdd');
  });

  it('fails a privileged container even when it drops ALL', () => {
    const subject = containerSubject({ container: { privileged: true, capDrop: ['ALL'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['privileged']);
  });
});

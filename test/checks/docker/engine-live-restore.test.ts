import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-live-restore.js';
import { engineSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/engine-live-restore', () => {
  it('passes an engine with live-restore enabled', () => {
    const subject = engineSubject({ liveRestore: true });

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it('fails an engine with live-restore disabled', () => {
    const subject = engineSubject({ liveRestore: false });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['live-restore-disabled']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'engine info', path: 'LiveRestoreEnabled', observed: false });
  });

  it.each(['active', 'locked', 'pending'])('is not applicable in swarm mode (state %s)', (state) => {
    const subject = engineSubject({ liveRestore: false, swarm: { state, controlAvailable: true } });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/incompatible with swarm mode/);
    expect(result.violations).toEqual([]);
  });

  it.each(['inactive', 'error'])('applies when the swarm state is %s', (state) => {
    const subject = engineSubject({ liveRestore: false, swarm: { state, controlAvailable: false } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['live-restore-disabled']);
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/swarm-mode-disabled.js';
import { engineSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/swarm-mode-disabled', () => {
  it.each(['inactive', 'error', ''])('passes an engine whose swarm state is %j', (state) => {
    const subject = engineSubject({ swarm: { state, controlAvailable: false } });

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it.each(['active', 'pending', 'locked'])('fails an engine whose swarm state is %s', (state) => {
    const subject = engineSubject({ swarm: { state, controlAvailable: true } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['swarm-enabled']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'engine info', path: 'Swarm.LocalNodeState', observed: state });
  });

  it('is not applicable when swarm mode is expected', () => {
    const subject = engineSubject({ swarm: { state: 'active', controlAvailable: true } });

    const result = run(check, subject, { swarmExpected: true });

    expect(result.notApplicable).toMatch(/swarmExpected/);
    expect(result.violations).toEqual([]);
  });

  it('declares swarmExpected with a false default', () => {
    const spec = check.meta.parameters?.['swarmExpected'];

    expect(spec?.default).toBe(false);
    expect(spec?.schema).toEqual({ type: 'boolean' });
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/segment-flows-blocked.js';
import type { FlowProbe } from '../../../src/model/facts.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

const FORBID_DMZ_TO_DB = { forbiddenFlows: [{ from: 'dmz', to: 'db' }] };

function probe(result: FlowProbe['result'], overrides: Partial<FlowProbe> = {}): FlowProbe {
  return { toHost: 'db-1', toSegment: 'db', address: '198.18.1.10', port: 5432, result, ...overrides };
}

describe('checks/vm/segment-flows-blocked', () => {
  it.each(['closed', 'filtered'] as const)('passes when every forbidden flow is %s', (result) => {
    const subject = hostSubject({ flows: [probe(result), probe(result, { port: 22 })] });

    const outcome = run(check, subject, FORBID_DMZ_TO_DB);

    expect(outcome.violations).toEqual([]);
  });

  it('fails once per open forbidden flow, keyed by destination host and port', () => {
    const subject = hostSubject({ flows: [probe('open'), probe('filtered', { port: 22 }), probe('open', { toHost: 'db-2', address: '198.18.1.11' })] });

    const result = run(check, subject, FORBID_DMZ_TO_DB);

    expect(messageIds(result)).toEqual(['flow-open', 'flow-open']);
    expect(result.violations.map((v) => v.key)).toEqual(['db-1:5432', 'db-2:5432']);
    expect(result.violations[0]?.evidence).toMatchObject({
      source: 'reachability probe',
      path: 'flows[db-1:5432]',
      observed: { toHost: 'db-1', toSegment: 'db', address: '198.18.1.10', port: 5432, result: 'open' },
    });
  });

  it('ignores open flows to segments the policy allows', () => {
    const subject = hostSubject({ flows: [probe('open', { toHost: 'app-1', toSegment: 'app' }), probe('closed')] });

    const result = run(check, subject, FORBID_DMZ_TO_DB);

    expect(result.violations).toEqual([]);
  });

  it('treats * as any segment', () => {
    const subject = hostSubject({ flows: [probe('open', { toHost: 'mgmt-1', toSegment: 'mgmt' })] });

    const result = run(check, subject, { forbiddenFlows: [{ from: '*', to: 'mgmt' }] });

    expect(messageIds(result)).toEqual(['flow-open']);
  });

  it.each([
    ['no probes ran', undefined],
    ['the probe list is empty', []],
  ])('does not apply when %s', (_case, flows) => {
    const subject = hostSubject({ flows });

    const result = run(check, subject, FORBID_DMZ_TO_DB);

    expect(result.notApplicable).toMatch(/^no reachability probes ran from this host/);
  });

  it('does not apply to a host without a segment', () => {
    const subject = hostSubject({ segment: undefined, flows: [probe('open')] });

    const result = run(check, subject, FORBID_DMZ_TO_DB);

    expect(result.notApplicable).toBe('host has no segment in the inventory, so no flow from it is forbidden');
  });

  it('does not apply when no probe targets a forbidden segment', () => {
    const subject = hostSubject({ flows: [probe('open')] });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('no probe from segment dmz targets a segment forbiddenFlows forbids');
  });

  it('is not evaluated, not passed, when forbidden-flow probes failed and none is open', () => {
    const subject = hostSubject({ flows: [probe('closed', { port: 22 }), probe('error', { detail: 'nc: not installed' })] });

    const result = run(check, subject, FORBID_DMZ_TO_DB);

    expect(result.notApplicable).toBe('not evaluated: 1 of 2 forbidden-flow probes could not run (db-1:5432: nc: not installed)');
  });

  it('still fails on an open flow when other probes failed', () => {
    const subject = hostSubject({ flows: [probe('open', { port: 22 }), probe('error')] });

    const result = run(check, subject, FORBID_DMZ_TO_DB);

    expect(messageIds(result)).toEqual(['flow-open']);
  });

  it('reports a recorded reason when the probes could not run', () => {
    const subject = hostSubject({ notCollected: { flows: { reason: 'failed', detail: 'flows: probe timed out' } } });

    const result = run(check, subject, FORBID_DMZ_TO_DB);

    expect(result.notApplicable).toBe('not evaluated: flows: probe timed out');
  });
});

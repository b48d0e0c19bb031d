import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/host-firewall-enabled.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/vm/host-firewall-enabled', () => {
  it.each([
    { backend: 'nftables', inputPolicy: 'drop', inputRules: 4 },
    { backend: 'iptables', inputPolicy: 'reject', inputRules: 0 },
    { backend: 'nftables', inputPolicy: 'accept', inputRules: 3 },
  ] as const)('passes %j', (firewall) => {
    const subject = hostSubject({ firewall });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails a host with no firewall at all', () => {
    const subject = hostSubject({ firewall: { backend: 'none', inputPolicy: 'accept', inputRules: 0 } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-firewall']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'firewall ruleset', path: 'firewall.backend', observed: 'none' });
  });

  it.each(['nftables', 'iptables'] as const)('fails a default-accept %s input path with no rules', (backend) => {
    const subject = hostSubject({ firewall: { backend, inputPolicy: 'accept', inputRules: 0 } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['accept-all']);
    expect(result.violations[0]?.evidence.path).toBe('firewall.inputPolicy');
  });

  it('is not evaluated without root', () => {
    const subject = hostSubject({
      privilege: { root: false, sudo: 'not-configured' },
      firewall: undefined,
      notCollected: { firewall: { reason: 'needs-root', detail: 'firewall-nft: not root, and sudo is not enabled for this host in the inventory' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated (needs root): firewall-nft: not root, and sudo is not enabled for this host in the inventory');
  });
});

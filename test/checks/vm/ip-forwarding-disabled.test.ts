import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/ip-forwarding-disabled.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/vm/ip-forwarding-disabled', () => {
  it('passes a host that does not forward', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    [{ ipv4: true, ipv6: false }, ['ipv4-forwarding'], ['net.ipv4.ip_forward']],
    [{ ipv4: false, ipv6: true }, ['ipv6-forwarding'], ['net.ipv6.conf.all.forwarding']],
    [{ ipv4: true, ipv6: true }, ['ipv4-forwarding', 'ipv6-forwarding'], ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding']],
  ])('fails forwarding %j', (ipForwarding, ids, paths) => {
    const subject = hostSubject({ ipForwarding });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(ids);
    expect(result.violations.map((v) => v.evidence.path)).toEqual(paths);
  });

  it.each(['router', 'gateway', 'docker-host', 'kubernetes-node'])('does not apply to a host tagged %s', (tag) => {
    const subject = hostSubject({ tags: ['web', tag], ipForwarding: { ipv4: true, ipv6: true } });

    const result = run(check, subject);

    expect(result.notApplicable).toContain(`tagged ${tag}`);
    expect(result.notApplicable).toContain('Docker hosts and Kubernetes nodes need IP forwarding');
  });

  it('honours routerTags', () => {
    const subject = hostSubject({ tags: ['docker-host'], ipForwarding: { ipv4: true, ipv6: false } });

    const result = run(check, subject, { routerTags: ['vpn'] });

    expect(messageIds(result)).toEqual(['ipv4-forwarding']);
  });

  it('is not evaluated when forwarding was not collected', () => {
    const subject = hostSubject({
      ipForwarding: undefined,
      notCollected: { ipForwarding: { reason: 'failed', detail: 'ip-forwarding: /proc/sys/net forwarding switches could not be read' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: ip-forwarding: /proc/sys/net forwarding switches could not be read');
  });
});

import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-no-insecure-registries.js';
import { engineSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/engine-no-insecure-registries', () => {
  it.each([
    [['127.0.0.0/8', '::1/128'], []],
    [['127.0.0.0/8'], []],
    [['127.0.0.0/16'], []],
    [[], ['localhost:5000', 'localhost', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000', '[::1]']],
  ])('passes loopback-only entries %j / %j', (cidrs, hosts) => {
    const subject = engineSubject({ insecureRegistryCidrs: cidrs, insecureRegistryHosts: hosts });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails each non-loopback CIDR, keyed by the CIDR', () => {
    const subject = engineSubject({ insecureRegistryCidrs: ['127.0.0.0/8', '10.0.0.0/8', '::1/128', 'fd00::/8', '0.0.0.0/0'] });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['insecure-cidr', 'insecure-cidr', 'insecure-cidr']);
    expect(result.violations.map((v) => v.key)).toEqual(['10.0.0.0/8', 'fd00::/8', '0.0.0.0/0']);
    expect(result.violations[0]?.evidence).toMatchObject({ path: 'RegistryConfig.InsecureRegistryCIDRs', observed: '10.0.0.0/8' });
  });

  it.each(['127.0.0.0/7', '128.0.0.0/8', '127.0.0.0/x'])('does not take %s for loopback', (cidr) => {
    const subject = engineSubject({ insecureRegistryCidrs: [cidr] });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual([cidr]);
  });

  it('fails each non-loopback registry host, keyed by the host', () => {
    const subject = engineSubject({
      insecureRegistryHosts: ['localhost:5000', 'registry.internal:5000', 'localhost.example.com', '127.0.0.1.nip.io:80'],
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['insecure-host', 'insecure-host', 'insecure-host']);
    expect(result.violations.map((v) => v.key)).toEqual(['registry.internal:5000', 'localhost.example.com', '127.0.0.1.nip.io:80']);
    expect(result.violations[0]?.evidence).toMatchObject({
      path: 'RegistryConfig.IndexConfigs[registry.internal:5000].Secure',
      observed: false,
    });
  });
});

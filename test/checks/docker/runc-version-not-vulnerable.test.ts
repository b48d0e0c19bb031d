import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/runc-version-not-vulnerable.js';
import { engineFacts, engineSubject, messageIds, run } from '../../helpers/facts.js';

const versions = engineFacts().versions;

function withRunc(runc: string | undefined) {
  return engineSubject({ versions: { ...versions, runc } });
}

const NOVEMBER_2025 = ['CVE-2025-31133', 'CVE-2025-52565', 'CVE-2025-52881'];

describe('checks/docker/runc-version-not-vulnerable', () => {
  it.each(['1.2.8', '1.3.3', 'v1.3.4', '1.4.0'])('passes upstream %s', (version) => {
    const subject = withRunc(version);

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it('fails 1.1.11 with Leaky Vessels and the November 2025 escapes', () => {
    const subject = withRunc('1.1.11');

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['vulnerable', 'vulnerable', 'vulnerable', 'vulnerable']);
    expect(result.violations.map((v) => v.key)).toEqual(['CVE-2024-21626', ...NOVEMBER_2025]);
    expect(result.violations[0]).toMatchObject({
      data: { installed: '1.1.11', fixed: '1.1.12', aliases: 'GHSA-xr7r-f8xq-vfvv' },
      evidence: { source: 'engine version', path: 'Components[runc].Version', observed: '1.1.11', expected: '>=1.1.12' },
    });
  });

  it.each([
    ['1.1.14', NOVEMBER_2025],
    ['1.3.2', NOVEMBER_2025],
    ['1.4.0-rc.2', NOVEMBER_2025],
    ['1.0.0-rc6', ['CVE-2019-5736', 'CVE-2021-30465', ...NOVEMBER_2025]],
    // rc10 came after the CVE-2019-5736 fix in rc7, although "rc10" < "rc7" as text.
    ['1.0.0-rc10', ['CVE-2021-30465', ...NOVEMBER_2025]],
    ['v1.0.0-rc93', ['CVE-2021-30465', 'CVE-2024-21626', ...NOVEMBER_2025]],
  ])('fails %s with %j', (version, ids) => {
    const subject = withRunc(version);

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(ids);
  });

  it('is not applicable when the engine does not report runc', () => {
    const subject = withRunc(undefined);

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/did not report a runc version/);
  });

  it('is not applicable to a Debian build and names the upstream advisories', () => {
    const subject = withRunc('1.1.5+ds1');

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
    expect(result.notApplicable).toContain('upstream 1.1.5');
    expect(result.notApplicable).toContain('CVE-2024-21626 / GHSA-xr7r-f8xq-vfvv (fixed upstream in 1.1.12)');
    expect(result.notApplicable).toContain('dpkg -s runc');
  });

  it('is not applicable to a development build', () => {
    const subject = withRunc('1.0.0-rc6+dev');

    const result = run(check, subject);

    expect(result.notApplicable).toContain('suffix "+dev"');
  });

  describe('a distribution build on a host palisade scanned', () => {
    const host = (pending: { name: string; installed: string; candidate: string; security: boolean }[] | undefined) =>
      engineSubject({
        versions: { ...versions, runc: '1.1.5+ds1' },
        hostPackages: { host: 'vm-1', installed: [{ name: 'runc', version: '1.1.5+ds1-1+deb12u1' }], pendingSecurity: pending },
      });

    it('passes when the host has no pending security update for runc', () => {
      const subject = host([{ name: 'openssl', installed: '3.0.14-1', candidate: '3.0.15-1', security: true }]);

      const result = run(check, subject);

      expect(result.notApplicable).toBeUndefined();
      expect(result.violations).toEqual([]);
    });

    it('fails on a pending security update of the runc package', () => {
      const subject = host([{ name: 'runc', installed: '1.1.5+ds1-1+deb12u1', candidate: '1.1.5+ds1-1+deb12u2', security: true }]);

      const result = run(check, subject);

      expect(messageIds(result)).toEqual(['host-security-update']);
      expect(result.violations[0]?.key).toBe('host-update:runc');
    });

    it('stays not applicable when the host\'s pending updates were not collected', () => {
      const subject = host(undefined);

      const result = run(check, subject);

      expect(result.notApplicable).toContain('dpkg -s runc');
    });
  });
});

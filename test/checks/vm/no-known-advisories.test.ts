import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/no-known-advisories.js';
import type { AdvisoryMatchFacts } from '../../../src/model/facts.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

const DSA: AdvisoryMatchFacts = {
  id: 'DSA-5678-1',
  aliases: ['CVE-2024-1234'],
  summary: 'openssl security update',
  severity: 'HIGH',
  ecosystem: 'Debian:12',
  packageName: 'openssl',
  installedVersion: '3.0.15-1~deb12u1',
  fixedVersion: '3.0.16-1~deb12u1',
};

describe('checks/vm/no-known-advisories', () => {
  it('passes a host with no matching advisories', () => {
    const subject = hostSubject({ advisories: [] });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails once per advisory and package', () => {
    const subject = hostSubject({
      advisories: [DSA, { ...DSA, packageName: 'openssh', installedVersion: '1:9.2p1-2+deb12u3' }, { ...DSA }],
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['advisory', 'advisory']);
    expect(result.violations.map((v) => v.key)).toEqual(['DSA-5678-1:openssl', 'DSA-5678-1:openssh']);
    expect(result.violations[0]?.evidence).toMatchObject({
      source: 'OSV advisories',
      path: 'advisories[DSA-5678-1:openssl]',
      observed: { package: 'openssl', installed: '3.0.15-1~deb12u1', ecosystem: 'Debian:12' },
      expected: '3.0.16-1~deb12u1 or later',
    });
  });

  it('uses its own message when no fixed version is published', () => {
    const subject = hostSubject({ advisories: [{ ...DSA, fixedVersion: undefined }] });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['advisory-no-fix']);
  });

  it('is not applicable without an advisory directory and says how to enable it', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/^not evaluated: no advisory directory was given/);
    expect(result.notApplicable).toContain('--advisories DIR');
  });

  it('is not evaluated when installed packages were not collected, even with an empty match list', () => {
    const subject = hostSubject({
      packages: undefined,
      advisories: [],
      notCollected: { packages: { reason: 'unsupported-os', detail: 'packages: unrecognised OS family' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: packages: unrecognised OS family');
  });

  it('reports a recorded reason for missing advisory matches', () => {
    const subject = hostSubject({ notCollected: { advisories: { reason: 'skipped', detail: 'no OSV data for ecosystem Debian:13' } } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: no OSV data for ecosystem Debian:13');
  });
});

import semver from 'semver';
import { describe, expect, it } from 'vitest';

import { DOCKER_VULNERABLE_VERSIONS } from '../../src/data/docker-vulnerable-versions.js';
import { matchAdvisories, rangeExpression, toSemver } from '../../src/lib/component-version.js';

const entries = DOCKER_VULNERABLE_VERSIONS.map((a) => [a.id, a] as const);

const SOURCE = /^https:\/\/github\.com\/((moby\/moby|containerd\/containerd|opencontainers\/runc)\/security\/)?advisories\/GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;

describe('src/data/docker-vulnerable-versions', () => {
  it.each(entries)('%s is well formed', (_id, advisory) => {
    expect(['engine', 'containerd', 'runc']).toContain(advisory.component);
    expect(advisory.id).toMatch(/^CVE-\d{4}-\d{4,}$/);
    expect(advisory.aliases.length).toBeGreaterThan(0);
    for (const alias of advisory.aliases) expect(alias).toMatch(/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/);
    expect(advisory.summary.length).toBeGreaterThan(10);
    expect(['critical', 'high', 'medium', 'low']).toContain(advisory.severity);
    expect(advisory.source).toMatch(SOURCE);
    expect(advisory.aliases.some((alias) => advisory.source.endsWith(alias))).toBe(true);
    expect(advisory.affected.length).toBeGreaterThan(0);
  });

  it.each(entries)('%s has valid, ordered, disjoint SemVer ranges', (_id, advisory) => {
    const spans = advisory.affected.map((range) => {
      const fixed = toSemver(range.fixed);
      const introduced = range.introduced === undefined ? '0.0.0-0' : toSemver(range.introduced);
      expect(fixed, range.fixed).toBeDefined();
      expect(introduced, range.introduced).toBeDefined();
      expect(semver.lt(introduced as string, fixed as string)).toBe(true);
      expect(semver.validRange(rangeExpression(range))).not.toBeNull();
      return [introduced as string, fixed as string] as const;
    });
    const sorted = [...spans].sort((a, b) => semver.compare(a[0], b[0]));
    for (let i = 1; i < sorted.length; i += 1) {
      expect(semver.gte(sorted[i]?.[0] as string, sorted[i - 1]?.[1] as string)).toBe(true);
    }
  });

  it('has unique ids', () => {
    const ids = DOCKER_VULNERABLE_VERSIONS.map((a) => a.id);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers the advisories the checks promise', () => {
    const ids = DOCKER_VULNERABLE_VERSIONS.map((a) => `${a.component}:${a.id}`);

    expect(ids).toEqual(
      expect.arrayContaining([
        'runc:CVE-2019-5736',
        'runc:CVE-2021-30465',
        'runc:CVE-2024-21626',
        'runc:CVE-2025-31133',
        'runc:CVE-2025-52565',
        'runc:CVE-2025-52881',
        'containerd:CVE-2020-15257',
        'containerd:CVE-2022-23648',
        'containerd:CVE-2023-25153',
        'containerd:CVE-2023-25173',
        'containerd:CVE-2024-40635',
        'engine:CVE-2024-41110',
        'engine:CVE-2024-24557',
        'engine:CVE-2021-41091',
        'engine:CVE-2024-29018',
      ]),
    );
  });

  it.each([
    // Fixed versions as the advisories state them.
    ['runc', '1.1.11', 'CVE-2024-21626', '1.1.12'],
    ['runc', '1.0.0-rc.6', 'CVE-2019-5736', '1.0.0-rc7'],
    ['runc', '1.0.0-rc.94', 'CVE-2021-30465', '1.0.0-rc95'],
    ['runc', '1.1.14', 'CVE-2025-31133', '1.2.8'],
    ['runc', '1.3.2', 'CVE-2025-52881', '1.3.3'],
    ['runc', '1.4.0-rc.2', 'CVE-2025-52565', '1.4.0-rc.3'],
    ['containerd', '1.4.2', 'CVE-2020-15257', '1.4.3'],
    ['containerd', '1.5.9', 'CVE-2022-23648', '1.5.10'],
    ['containerd', '1.6.17', 'CVE-2023-25173', '1.6.18'],
    ['containerd', '1.7.26', 'CVE-2024-40635', '1.7.27'],
    ['containerd', '2.0.3', 'CVE-2024-40635', '2.0.4'],
    ['engine', '26.1.4', 'CVE-2024-41110', '26.1.5'],
    ['engine', '24.0.9', 'CVE-2024-41110', '25.0.6'],
    ['engine', '20.10.27', 'CVE-2024-41110', '23.0.15'],
    ['engine', '25.0.1', 'CVE-2024-24557', '25.0.2'],
    ['engine', '20.10.8', 'CVE-2021-41091', '20.10.9'],
    ['engine', '24.0.9', 'CVE-2024-29018', '25.0.5'],
  ] as const)('%s %s is affected by %s, fixed in %s', (component, version, id, fixed) => {
    const matches = matchAdvisories(component, version, DOCKER_VULNERABLE_VERSIONS);

    expect(matches.find((m) => m.advisory.id === id)?.range.fixed).toBe(fixed);
  });

  it.each([
    ['runc', '1.1.12', 'CVE-2024-21626'],
    ['runc', '1.0.0-rc.92', 'CVE-2024-21626'],
    ['runc', '1.0.0-rc.10', 'CVE-2019-5736'],
    ['runc', '1.2.8', 'CVE-2025-31133'],
    ['runc', '1.3.3', 'CVE-2025-52881'],
    ['runc', '1.0.0-rc.2', 'CVE-2025-52565'],
    ['containerd', '1.7.27', 'CVE-2024-40635'],
    ['containerd', '1.7.0', 'CVE-2023-25153'],
    ['engine', '27.1.1', 'CVE-2024-41110'],
    ['engine', '18.9.1', 'CVE-2024-41110'],
    ['engine', '25.0.5', 'CVE-2024-29018'],
  ] as const)('%s %s is not affected by %s', (component, version, id) => {
    const matches = matchAdvisories(component, version, DOCKER_VULNERABLE_VERSIONS);

    expect(matches.map((m) => m.advisory.id)).not.toContain(id);
  });
});

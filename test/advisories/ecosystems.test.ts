import { describe, expect, it } from 'vitest';

import {
  ecosystemFamily,
  ecosystemFor,
  ecosystemMatches,
  ecosystemNeedle,
  familyTraits,
} from '../../src/advisories/ecosystems.js';

describe('src/advisories/ecosystems', () => {
  describe('ecosystemFor', () => {
    it.each([
      ['debian', '12', 'Debian:12'],
      ['debian', '11', 'Debian:11'],
      ['ubuntu', '22.04', 'Ubuntu:22.04:LTS'],
      ['ubuntu', '24.04', 'Ubuntu:24.04:LTS'],
      ['ubuntu', '18.04', 'Ubuntu:18.04:LTS'],
      ['ubuntu', '23.10', 'Ubuntu:23.10'],
      ['ubuntu', '23.04', 'Ubuntu:23.04'],
      ['ubuntu', '6.06', 'Ubuntu:6.06:LTS'],
      ['alpine', '3.20.3', 'Alpine:v3.20'],
      ['alpine', '3.19.0', 'Alpine:v3.19'],
      ['rocky', '9.4', 'Rocky Linux:9'],
      ['almalinux', '9.4', 'AlmaLinux:9'],
      ['almalinux', '8.10', 'AlmaLinux:8'],
      ['rhel', '9.4', 'Red Hat:enterprise_linux:9'],
      ['sles', '15.5', 'SUSE:Linux Enterprise Server 15 SP5'],
      ['sles', '15', 'SUSE:Linux Enterprise Server 15'],
      ['sles', '12.5', 'SUSE:Linux Enterprise Server 12 SP5'],
      ['sles_sap', '15.4', 'SUSE:Linux Enterprise Server for SAP Applications 15 SP4'],
      ['sled', '15.6', 'SUSE:Linux Enterprise Desktop 15 SP6'],
      ['opensuse-leap', '15.5', 'openSUSE:Leap 15.5'],
      ['opensuse-tumbleweed', '20240801', 'openSUSE:Tumbleweed'],
      ['Debian', ' 12 ', 'Debian:12'],
    ])('%s %s is %s', (id, versionId, expected) => {
      const ecosystem = ecosystemFor(id, versionId);

      expect(ecosystem).toBe(expected);
    });

    it.each([
      ['fedora', '40', 'OSV has no Fedora ecosystem'],
      ['amzn', '2023', 'OSV has no Amazon Linux ecosystem'],
      ['centos', '9', 'CentOS Stream is not a Red Hat product stream'],
      ['debian', '', 'testing and sid have no VERSION_ID'],
      ['alpine', '3.21_alpha20240807', 'edge has no release branch'],
      ['ubuntu', 'noble', 'not a YY.MM version'],
    ])('%s %j has no ecosystem (%s)', (id, versionId) => {
      const ecosystem = ecosystemFor(id, versionId);

      expect(ecosystem).toBeUndefined();
    });
  });

  describe('ecosystemMatches', () => {
    it.each([
      ['Debian:12', 'Debian:12', true],
      ['Debian:12', 'Debian:11', false],
      ['Debian:12', 'Debian', false],
      ['Ubuntu:22.04:LTS', 'Ubuntu:Pro:22.04:LTS', false],
      ['Alpine:v3.20', 'Alpine:v3.2', false],
      ['Rocky Linux:9', 'Rocky Linux:8', false],
      // Red Hat: every repository stream of the product.
      ['Red Hat:enterprise_linux:9', 'Red Hat:enterprise_linux:9::baseos', true],
      ['Red Hat:enterprise_linux:9', 'Red Hat:enterprise_linux:9::appstream', true],
      ['Red Hat:enterprise_linux:9', 'Red Hat:enterprise_linux:9::crb', true],
      ['Red Hat:enterprise_linux:9', 'Red Hat:enterprise_linux:8::baseos', false],
      ['Red Hat:enterprise_linux:9', 'Red Hat:rhel_eus:9.2::baseos', false],
      // SUSE: module products and support phases of the same release.
      ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Server 15 SP5', true],
      ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Module for Basesystem 15 SP5', true],
      ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Server 15 SP5-LTSS', true],
      ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Module for Basesystem 15 SP4', false],
      ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise Server 15', false],
      ['SUSE:Linux Enterprise Server 15', 'SUSE:Linux Enterprise Module for Basesystem 15', true],
      ['SUSE:Linux Enterprise Server 15', 'SUSE:Linux Enterprise Server 15 SP1', false],
      ['SUSE:Linux Enterprise Server 15 SP5', 'openSUSE:Leap 15.5', false],
      ['openSUSE:Leap 15.5', 'openSUSE:Leap 15.6', false],
    ])('%s matches %s: %s', (target, candidate, expected) => {
      const matches = ecosystemMatches(target, candidate);

      expect(matches).toBe(expected);
    });
  });

  it.each([
    ['Debian:12', 'Debian'],
    ['Ubuntu:22.04:LTS', 'Ubuntu'],
    ['Rocky Linux:9', 'Rocky Linux'],
    ['Red Hat:enterprise_linux:9::baseos', 'Red Hat'],
    ['Alpine', 'Alpine'],
  ])('ecosystemFamily(%s) is %s', (ecosystem, family) => {
    const result = ecosystemFamily(ecosystem);

    expect(result).toBe(family);
  });

  it.each([
    ['Debian:12', 'dpkg', 'source'],
    ['Ubuntu:22.04:LTS', 'dpkg', 'source'],
    ['Alpine:v3.20', 'apk', 'source'],
    ['Rocky Linux:9', 'rpm', 'binary-or-source'],
    ['AlmaLinux:9', 'rpm', 'binary-or-source'],
    ['Red Hat:enterprise_linux:9', 'rpm', 'binary-or-source'],
    ['SUSE:Linux Enterprise Server 15 SP5', 'rpm', 'source'],
    ['openSUSE:Leap 15.5', 'rpm', 'source'],
  ])('%s uses %s versions and %s names', (ecosystem, format, names) => {
    const traits = familyTraits(ecosystem);

    expect(traits).toEqual({ format, names });
  });

  it('has no traits for an ecosystem palisade does not scan', () => {
    const traits = familyTraits('PyPI');

    expect(traits).toBeUndefined();
  });

  it.each([
    ['Debian:12', '"Debian:12"'],
    ['Red Hat:enterprise_linux:9', '"Red Hat:enterprise_linux:9'],
    ['SUSE:Linux Enterprise Server 15 SP5', '"SUSE:Linux Enterprise '],
  ])('ecosystemNeedle(%s) is %s, found in every matching entry', (target, needle) => {
    const result = ecosystemNeedle(target);

    expect(result).toBe(needle);
  });
});

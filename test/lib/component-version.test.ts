import { describe, expect, it } from 'vitest';

import type { ComponentAdvisory } from '../../src/data/docker-vulnerable-versions.js';
import {
  affectedRange,
  assessComponentVersion,
  matchAdvisories,
  notJudgeableReason,
  parseComponentVersion,
  rangeExpression,
  rangeText,
  toSemver,
} from '../../src/lib/component-version.js';

const LABELS = { name: 'runc', field: '/version Components[runc].Version', packageQuery: '`dpkg -s runc`' };

const ADVISORIES: ComponentAdvisory[] = [
  {
    component: 'runc',
    id: 'CVE-0000-0001',
    aliases: ['GHSA-aaaa-bbbb-cccc'],
    summary: 'test escape',
    severity: 'high',
    affected: [{ introduced: '1.0.0-rc93', fixed: '1.1.12' }],
    source: 'https://example.invalid/1',
  },
  {
    component: 'runc',
    id: 'CVE-0000-0002',
    aliases: [],
    summary: 'test escape two',
    severity: 'high',
    affected: [{ fixed: '1.2.8' }, { introduced: '1.3.0-rc.1', fixed: '1.3.3' }],
    source: 'https://example.invalid/2',
  },
  {
    component: 'containerd',
    id: 'CVE-0000-0003',
    aliases: [],
    summary: 'other component',
    severity: 'medium',
    affected: [{ fixed: '9.9.9' }],
    source: 'https://example.invalid/3',
  },
];

describe('src/lib/component-version', () => {
  it.each([
    ['27.3.1', { upstream: '27.3.1', semver: '27.3.1', origin: 'upstream', suffix: '' }],
    ['v1.1.14', { upstream: '1.1.14', semver: '1.1.14', origin: 'upstream', suffix: '' }],
    ['1.7.22', { upstream: '1.7.22', semver: '1.7.22', origin: 'upstream', suffix: '' }],
    ['18.09.1', { upstream: '18.09.1', semver: '18.9.1', origin: 'upstream', suffix: '' }],
    ['1.0.0-rc93', { upstream: '1.0.0-rc93', semver: '1.0.0-rc.93', origin: 'upstream', suffix: '' }],
    ['1.0-rc6', { upstream: '1.0-rc6', semver: '1.0.0-rc.6', origin: 'upstream', suffix: '' }],
    ['1.4.0-rc.3', { upstream: '1.4.0-rc.3', semver: '1.4.0-rc.3', origin: 'upstream', suffix: '' }],
    ['2.0.0-beta.0', { upstream: '2.0.0-beta.0', semver: '2.0.0-beta.0', origin: 'upstream', suffix: '' }],
    ['18.06.1-ce', { upstream: '18.06.1', semver: '18.6.1', origin: 'upstream', suffix: '' }],
    ['17.03.0-ce-rc1', { upstream: '17.03.0-rc1', semver: '17.3.0-rc.1', origin: 'upstream', suffix: '' }],
    ['20.10.24+dfsg1', { upstream: '20.10.24', semver: '20.10.24', origin: 'distribution', suffix: '+dfsg1' }],
    ['1.6.20~ds1', { upstream: '1.6.20', semver: '1.6.20', origin: 'distribution', suffix: '~ds1' }],
    ['1.1.5+ds1', { upstream: '1.1.5', semver: '1.1.5', origin: 'distribution', suffix: '+ds1' }],
    ['1.7.24-0ubuntu1~22.04.2', { upstream: '1.7.24', semver: '1.7.24', origin: 'distribution', suffix: '-0ubuntu1~22.04.2' }],
    ['26.1.5-ce', { upstream: '26.1.5', semver: '26.1.5', origin: 'distribution', suffix: '-ce' }],
    ['1.1.12-1.el9', { upstream: '1.1.12', semver: '1.1.12', origin: 'distribution', suffix: '-1.el9' }],
    ['24.0.5-1.fc40', { upstream: '24.0.5', semver: '24.0.5', origin: 'distribution', suffix: '-1.fc40' }],
    ['20.10.24+dfsg1-1+deb12u3', { upstream: '20.10.24', origin: 'distribution', suffix: '+dfsg1-1+deb12u3' }],
    ['1.0.0-rc6+dev', { upstream: '1.0.0-rc6', semver: '1.0.0-rc.6', origin: 'distribution', suffix: '+dev' }],
    ['v1.7.22-k3s1', { upstream: '1.7.22', origin: 'distribution', suffix: '-k3s1' }],
  ])('parses %s', (raw, expected) => {
    const parsed = parseComponentVersion(raw);

    expect(parsed).toMatchObject({ raw, ...expected });
  });

  it.each(['', 'dev', 'library-import', 'master-dockerproject-2024-01-01'])('does not parse %j', (raw) => {
    const parsed = parseComponentVersion(raw);

    expect(parsed).toBeUndefined();
  });

  it.each([
    ['19.03.0', '19.3.0'],
    ['v1.1.12', '1.1.12'],
    ['1.0.0-rc93', '1.0.0-rc.93'],
    ['26.0.0-rc1', '26.0.0-rc.1'],
    ['1.7.0-beta.0', '1.7.0-beta.0'],
    ['2.0.0-0', '2.0.0-0'],
    ['1.2', '1.2.0'],
  ])('converts %s to SemVer %s', (version, expected) => {
    const converted = toSemver(version);

    expect(converted).toBe(expected);
  });

  it.each(['x1.2.3', '1.2.3+dfsg1', 'latest'])('has no SemVer for %s', (version) => {
    const converted = toSemver(version);

    expect(converted).toBeUndefined();
  });

  it.each([
    // runc's rc numbers compare numerically: rc10 came after rc7, rc95 after rc93.
    ['1.0.0-rc.10', [{ fixed: '1.0.0-rc7' }], undefined],
    ['1.0.0-rc.6', [{ fixed: '1.0.0-rc7' }], { fixed: '1.0.0-rc7' }],
    ['1.0.0-rc.92', [{ introduced: '1.0.0-rc93', fixed: '1.1.12' }], undefined],
    ['1.0.0-rc.93', [{ introduced: '1.0.0-rc93', fixed: '1.1.12' }], { introduced: '1.0.0-rc93', fixed: '1.1.12' }],
    ['1.1.11', [{ introduced: '1.0.0-rc93', fixed: '1.1.12' }], { introduced: '1.0.0-rc93', fixed: '1.1.12' }],
    ['1.1.12', [{ introduced: '1.0.0-rc93', fixed: '1.1.12' }], undefined],
    ['20.10.27', [{ introduced: '19.03.0', fixed: '23.0.15' }], { introduced: '19.03.0', fixed: '23.0.15' }],
    ['18.9.1', [{ introduced: '19.03.0', fixed: '23.0.15' }], undefined],
    ['1.4.0-rc.2', [{ fixed: '1.2.8' }, { introduced: '1.4.0-rc.1', fixed: '1.4.0-rc.3' }], { introduced: '1.4.0-rc.1', fixed: '1.4.0-rc.3' }],
    ['1.3.5', [{ fixed: '1.2.8' }, { introduced: '1.3.0-rc.1', fixed: '1.3.3' }], undefined],
  ])('finds the range containing %s', (version, ranges, expected) => {
    const range = affectedRange(version, ranges);

    expect(range).toEqual(expected);
  });

  it.each([
    [{ fixed: '20.10.9' }, '<20.10.9', '<20.10.9'],
    [{ introduced: '1.0.0-rc93', fixed: '1.1.12' }, '>=1.0.0-rc.93 <1.1.12', '>=1.0.0-rc93 <1.1.12'],
    [{ introduced: '19.03.0', fixed: '23.0.15' }, '>=19.3.0 <23.0.15', '>=19.03.0 <23.0.15'],
  ])('renders range %j', (range, expression, text) => {
    const rendered = [rangeExpression(range), rangeText(range)];

    expect(rendered).toEqual([expression, text]);
  });

  it('matches only advisories of the component that cover the version', () => {
    const matches = matchAdvisories('runc', '1.1.11', ADVISORIES);

    expect(matches.map((m) => [m.advisory.id, m.range.fixed])).toEqual([
      ['CVE-0000-0001', '1.1.12'],
      ['CVE-0000-0002', '1.2.8'],
    ]);
  });

  it.each([
    [undefined, 'unreported'],
    ['  ', 'unreported'],
    ['dev', 'unparseable'],
    ['1.1.5+ds1', 'distribution'],
    ['1.1.5', 'upstream'],
  ])('assesses %j as %s', (reported, kind) => {
    const assessment = assessComponentVersion('runc', reported, ADVISORIES);

    expect(assessment.kind).toBe(kind);
  });

  it('explains a distribution build with its upstream version, advisories and the package query', () => {
    const assessment = assessComponentVersion('runc', '1.1.5+ds1', ADVISORIES);

    const reason = notJudgeableReason(assessment, LABELS);

    expect(reason).toContain('runc 1.1.5+ds1');
    expect(reason).toContain('upstream 1.1.5');
    expect(reason).toContain('CVE-0000-0001 / GHSA-aaaa-bbbb-cccc (fixed upstream in 1.1.12)');
    expect(reason).toContain('CVE-0000-0002 (fixed upstream in 1.2.8)');
    expect(reason).toContain('`dpkg -s runc`');
  });

  it('says so when no bundled advisory applies to the upstream of a distribution build', () => {
    const assessment = assessComponentVersion('runc', '1.3.3-0ubuntu1', ADVISORIES);

    const reason = notJudgeableReason(assessment, LABELS);

    expect(reason).toMatch(/No advisory .* applies to upstream 1\.3\.3/);
  });

  it.each([
    [undefined, /did not report a runc version/],
    ['dev', /"dev"/],
  ])('gives a reason for version %j', (reported, expected) => {
    const assessment = assessComponentVersion('runc', reported, ADVISORIES);

    const reason = notJudgeableReason(assessment, LABELS);

    expect(reason).toMatch(expected);
  });

  it('gives no reason for an upstream version', () => {
    const assessment = assessComponentVersion('runc', '1.1.11', ADVISORIES);

    const reason = notJudgeableReason(assessment, LABELS);

    expect(reason).toBeUndefined();
  });
});

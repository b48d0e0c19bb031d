import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-version-not-vulnerable.js';
import { engineFacts, engineSubject, messageIds, run } from '../../helpers/facts.js';

const versions = engineFacts().versions;

function withEngine(engine: string) {
  return engineSubject({ versions: { ...versions, engine } });
}

describe('checks/docker/engine-version-not-vulnerable', () => {
  it.each(['27.3.1', '27.1.1', '28.5.2', 'v26.1.5'])('passes upstream %s', (version) => {
    const subject = withEngine(version);

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it('fails 26.1.4 with the critical AuthZ bypass, keyed by CVE', () => {
    const subject = withEngine('26.1.4');

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['vulnerable-critical']);
    expect(result.violations[0]).toMatchObject({
      key: 'CVE-2024-41110',
      data: { installed: '26.1.4', fixed: '26.1.5', aliases: 'GHSA-v23v-6jw2-98fq' },
      evidence: { source: 'engine version', path: 'Version', observed: '26.1.4', expected: '>=26.1.5' },
    });
  });

  it('fails 20.10.8 once per advisory', () => {
    const subject = withEngine('20.10.8');

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['vulnerable-critical', 'vulnerable', 'vulnerable', 'vulnerable']);
    expect(result.violations.map((v) => [v.key, v.data?.['fixed']])).toEqual([
      ['CVE-2024-41110', '23.0.15'],
      ['CVE-2024-24557', '24.0.9'],
      ['CVE-2021-41091', '20.10.9'],
      ['CVE-2024-29018', '23.0.11'],
    ]);
  });

  it('reads Docker YY.MM versions with leading zeros', () => {
    const subject = withEngine('18.09.1');

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['CVE-2024-24557', 'CVE-2021-41091', 'CVE-2024-29018']);
  });

  it.each([
    ['20.10.24+dfsg1', 'upstream 20.10.24'],
    ['24.0.7-0ubuntu4.1', 'upstream 24.0.7'],
    ['26.1.5-ce', 'upstream 26.1.5'],
  ])('is not applicable to distribution build %s', (version, upstream) => {
    const subject = withEngine(version);

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
    expect(result.notApplicable).toContain(upstream);
    expect(result.notApplicable).toContain('cannot be judged from the Engine API');
    expect(result.notApplicable).toContain('dpkg -s docker.io');
  });

  it('names the advisories that would apply to the upstream of a distribution build', () => {
    const subject = withEngine('20.10.24+dfsg1');

    const result = run(check, subject);

    expect(result.notApplicable).toContain('CVE-2024-41110 / GHSA-v23v-6jw2-98fq (fixed upstream in 23.0.15)');
    expect(result.notApplicable).toContain('CVE-2024-29018');
  });

  it('is not applicable to a version it cannot read', () => {
    const subject = withEngine('library-import');

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/"library-import"/);
  });
});

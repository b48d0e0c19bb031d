import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/containerd-version-not-vulnerable.js';
import { engineFacts, engineSubject, messageIds, run } from '../../helpers/facts.js';

const versions = engineFacts().versions;

function withContainerd(containerd: string | undefined) {
  return engineSubject({ versions: { ...versions, containerd } });
}

describe('checks/docker/containerd-version-not-vulnerable', () => {
  it.each(['1.7.27', '1.6.38', '2.0.4', 'v2.1.4'])('passes upstream %s', (version) => {
    const subject = withContainerd(version);

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it('fails 1.7.22 with the UID overflow advisory', () => {
    const subject = withContainerd('1.7.22');

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['vulnerable']);
    expect(result.violations[0]).toMatchObject({
      key: 'CVE-2024-40635',
      data: { installed: '1.7.22', fixed: '1.7.27' },
      evidence: { source: 'engine version', path: 'Components[containerd].Version', observed: '1.7.22' },
    });
  });

  it('fails v1.4.2 once per advisory, each with its release line fix', () => {
    const subject = withContainerd('v1.4.2');

    const result = run(check, subject);

    expect(result.violations.map((v) => [v.key, v.data?.['fixed']])).toEqual([
      ['CVE-2020-15257', '1.4.3'],
      ['CVE-2022-23648', '1.4.13'],
      ['CVE-2023-25153', '1.5.18'],
      ['CVE-2023-25173', '1.5.18'],
      ['CVE-2024-40635', '1.6.38'],
    ]);
  });

  it('is not applicable when the engine does not report containerd', () => {
    const subject = withContainerd(undefined);

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/did not report a containerd version/);
    expect(result.violations).toEqual([]);
  });

  it.each([
    ['1.6.20~ds1', 'upstream 1.6.20'],
    ['1.7.24-0ubuntu1~22.04.2', 'upstream 1.7.24'],
  ])('is not applicable to distribution build %s and says what would judge it', (version, upstream) => {
    const subject = withContainerd(version);

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
    expect(result.notApplicable).toContain(upstream);
    expect(result.notApplicable).toContain('CVE-2024-40635');
    expect(result.notApplicable).toContain('dpkg -s containerd');
  });
});

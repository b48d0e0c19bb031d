import { describe, expect, it } from 'vitest';

import { metadataAge, parseMetadataTimes } from '../../../../src/checkers/ssh/parsers/metadata-age.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/metadata-age', () => {
  it('reads the clock and file times, skipping junk', () => {
    const times = parseMetadataTimes('now 1000\nmtime 900 /var/lib/apt/lists/x_InRelease\nmtime abc /x\nstat: cannot stat\n');

    expect(times).toEqual({ now: 1000, files: [{ mtime: 900, path: '/var/lib/apt/lists/x_InRelease' }] });
  });

  it.each([
    ['ubuntu-22.04', 'debian', 14_370],
    ['rocky-9', 'rhel', 86_390],
    ['fedora-40', 'rhel', 1_300_000],
    ['alpine-3.20', 'alpine', 259_980],
    ['opensuse-leap-15.6', 'suse', 100_000],
  ] as const)('measures %s from its newest %s metadata', (fixture, family, age) => {
    const result = metadataAge(parseMetadataTimes(sectionOutput(fixture, 'metadata-age')), family);

    expect(result.ageSeconds).toBe(age);
  });

  it('ignores another family’s metadata and reports none', () => {
    const times = parseMetadataTimes('now 1000\nmtime 900 /var/cache/dnf/x/repodata/repomd.xml\n');

    expect(metadataAge(times, 'debian')).toEqual({ files: 0 });
  });

  it('clamps a file time in the host’s future to 0', () => {
    const times = parseMetadataTimes('now 1000\nmtime 2000 /var/cache/apk/APKINDEX.1.tar.gz\n');

    expect(metadataAge(times, 'alpine')).toEqual({ files: 1, ageSeconds: 0 });
  });
});

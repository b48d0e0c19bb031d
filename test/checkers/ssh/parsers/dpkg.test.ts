import { describe, expect, it } from 'vitest';

import { parseDpkgQuery } from '../../../../src/checkers/ssh/parsers/dpkg.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/dpkg', () => {
  it('reads installed packages with their source, skipping removed ones and junk', () => {
    const text = [
      'libssl3\topenssl\t3.0.11-1~deb12u2\t3.0.11-1~deb12u2\tamd64\tii ',
      'bash\tbash\t5.2.15-2+b2\t5.2.15-2\tamd64\tii ',
      'linux-image-6.1.0-10-amd64\tlinux-signed-amd64\t6.1.38-1\t6.1.38-1\tamd64\trc ',
      'half\thalf\t1.0\t1.0\tamd64\tiU ',
      'not a package line',
      'Bad_Name\tx\t1\t1\tall\tii ',
    ].join('\n');

    const packages = parseDpkgQuery(text);

    expect(packages).toEqual([
      { name: 'libssl3', sourceName: 'openssl', version: '3.0.11-1~deb12u2', arch: 'amd64' },
      { name: 'bash', sourceName: 'bash', version: '5.2.15-2+b2', sourceVersion: '5.2.15-2', arch: 'amd64' },
      { name: 'half', sourceName: 'half', version: '1.0', arch: 'amd64' },
    ]);
  });

  it('reads the captured Debian 12 list', () => {
    const packages = parseDpkgQuery(sectionOutput('debian-12', 'packages-dpkg'));

    expect(packages.length).toBeGreaterThan(500);
    expect(packages.find((p) => p.name === 'libc6')).toMatchObject({ sourceName: 'glibc', arch: 'amd64' });
  });
});

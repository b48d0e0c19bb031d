import { describe, expect, it } from 'vitest';

import { parseDnfCheckUpdate, parseDnfUpdateinfo } from '../../../../src/checkers/ssh/parsers/dnf.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/dnf', () => {
  describe('parseDnfUpdateinfo', () => {
    it('reads security advisories and skips other kinds and junk', () => {
      const text = [
        'Last metadata expiration check: 0:10:01 ago on Mon 10 Jun 2024 09:00:00 AM UTC.',
        'RHSA-2024:3061 Important/Sec. openssl-libs-1:3.0.7-27.el9_4.1.x86_64',
        'RHBA-2024:3000 bugfix         tzdata-2024a-1.el9.noarch',
        'FEDORA-2024-23b9b96d86 None/Sec. openssl-libs-1:3.2.2-3.fc40.x86_64',
        'ALAS2023-2024-640 Medium/Sec. curl-minimal-8.5.0-1.amzn2023.0.4.x86_64',
        'RHSA-2024:1 Important/Sec. not-a-nevra',
      ].join('\n');

      const entries = parseDnfUpdateinfo(text);

      expect(entries).toEqual([
        { advisory: 'RHSA-2024:3061', severity: 'Important', name: 'openssl-libs', arch: 'x86_64', version: '1:3.0.7-27.el9_4.1' },
        { advisory: 'FEDORA-2024-23b9b96d86', severity: 'None', name: 'openssl-libs', arch: 'x86_64', version: '1:3.2.2-3.fc40' },
        { advisory: 'ALAS2023-2024-640', severity: 'Medium', name: 'curl-minimal', arch: 'x86_64', version: '8.5.0-1.amzn2023.0.4' },
      ]);
    });

    it('reads the Rocky fixture', () => {
      const entries = parseDnfUpdateinfo(sectionOutput('rocky-9', 'updates-dnf-security'));

      expect(entries.map((e) => e.name)).toEqual([
        'glibc',
        'glibc-common',
        'glibc-langpack-en',
        'kernel',
        'kernel-core',
        'openssl',
        'openssl-libs',
      ]);
    });
  });

  describe('parseDnfCheckUpdate', () => {
    it('reads upgrades, a name wrapped onto its own line, and stops at obsoletes', () => {
      const upgrades = parseDnfCheckUpdate(sectionOutput('rocky-9', 'updates-dnf'));

      expect(upgrades).toHaveLength(10);
      expect(upgrades).toContainEqual({ name: 'openssl-libs', arch: 'x86_64', candidate: '1:3.0.7-28.el9_4', repository: 'baseos' });
      expect(upgrades).toContainEqual({
        name: 'NetworkManager-initscripts-updown',
        arch: 'noarch',
        candidate: '1:1.46.0-8.el9_4',
        repository: 'baseos',
      });
      expect(upgrades.find((u) => u.name === 'grub2-tools')).toBeUndefined();
    });

    it('skips junk and security notices', () => {
      const text = [
        'Security: kernel-core-5.14.0-427.13.1.el9_4.x86_64 is an installed security update',
        'Error: something',
        'weird.line 1.0 repo',
        'curl.x86_64 8.6.0-9.fc40 updates',
      ].join('\n');

      expect(parseDnfCheckUpdate(text)).toEqual([{ name: 'curl', arch: 'x86_64', candidate: '8.6.0-9.fc40', repository: 'updates' }]);
    });
  });
});

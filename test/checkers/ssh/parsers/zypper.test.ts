import { describe, expect, it } from 'vitest';

import {
  parseZypperPatchInfo,
  parseZypperPatches,
  parseZypperTables,
  parseZypperUpdates,
} from '../../../../src/checkers/ssh/parsers/zypper.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/zypper', () => {
  it('keys table rows by header, whatever the column order, and skips the rest', () => {
    const text = [
      'Loading repository data...',
      'Name | Since | Repository | Category | Status',
      '-----+-------+------------+----------+-------',
      'p1   | -     | Main       | security | needed',
      'short | row',
      '',
      '2 patches needed',
    ].join('\n');

    const rows = parseZypperTables(text);

    expect(rows).toEqual([{ Name: 'p1', Since: '-', Repository: 'Main', Category: 'security', Status: 'needed' }]);
  });

  it('reads list-patches', () => {
    const patches = parseZypperPatches(sectionOutput('opensuse-leap-15.6', 'updates-zypper-patches'));

    expect(patches).toEqual([
      {
        name: 'openSUSE-SLE-15.6-2024-2144',
        repository: 'Update repository with updates from SUSE Linux Enterprise 15',
        category: 'security',
        severity: 'important',
        status: 'needed',
        summary: 'Security update for openssl-3',
      },
      expect.objectContaining({ name: 'openSUSE-SLE-15.6-2024-2203', severity: 'moderate' }),
    ]);
  });

  it('reads list-updates', () => {
    const updates = parseZypperUpdates(sectionOutput('opensuse-leap-15.6', 'updates-zypper'));

    expect(updates).toHaveLength(5);
    expect(updates[2]).toEqual({
      name: 'libopenssl3',
      arch: 'x86_64',
      installed: '3.1.4-150600.5.7.1',
      candidate: '3.1.4-150600.5.10.1',
      repository: 'Update repository with updates from SUSE Linux Enterprise 15',
    });
  });

  it('reads the packages each patch updates from its Conflicts list', () => {
    const infos = parseZypperPatchInfo(sectionOutput('opensuse-leap-15.6', 'updates-zypper-patch-info'));

    expect(infos.map((i) => [i.patch, i.status, i.category, i.packages.length])).toEqual([
      ['openSUSE-SLE-15.6-2024-2144', 'needed', 'security', 7],
      ['openSUSE-SLE-15.6-2024-2203', 'needed', 'security', 5],
    ]);
    expect(infos[0]?.packages).toContainEqual({ name: 'libopenssl3', arch: 'x86_64', fixedVersion: '3.1.4-150600.5.10.1' });
    expect(infos[0]?.packages).toContainEqual({ name: 'openssl-3', fixedVersion: '3.1.4-150600.5.10.1' });
  });

  it('reads an unfiltered info block, description included', () => {
    const text = [
      'Information for patch update-test-security:',
      '-------------------------------------------',
      'Name        : update-test-security',
      'Status      : not needed',
      'Category    : security',
      'Description :',
      '    kernel-default.x86_64 < 99 is mentioned here but is not a conflict',
      'Provides    : patch:update-test-security = 1',
      'Conflicts   : [2]',
      '    glibc.x86_64 < 3-2.1',
      '    glibc.i586 < 3-2.1',
      '',
    ].join('\n');

    const infos = parseZypperPatchInfo(text);

    expect(infos).toEqual([
      {
        patch: 'update-test-security',
        status: 'not needed',
        category: 'security',
        packages: [
          { name: 'glibc', arch: 'x86_64', fixedVersion: '3-2.1' },
          { name: 'glibc', arch: 'i586', fixedVersion: '3-2.1' },
        ],
      },
    ]);
  });
});

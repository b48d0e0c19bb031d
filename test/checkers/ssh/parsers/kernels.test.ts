import { describe, expect, it } from 'vitest';

import { newestKernel, parseKernels } from '../../../../src/checkers/ssh/parsers/kernels.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/kernels', () => {
  it('lists versioned releases from /boot and module trees, without rescue or unversioned images', () => {
    const releases = parseKernels(sectionOutput('rocky-9', 'kernels'));

    expect(releases).toEqual(['5.14.0-362.24.1.el9_3.x86_64', '5.14.0-427.13.1.el9_4.x86_64']);
  });

  it('falls back to the module tree for Alpine', () => {
    const releases = parseKernels(sectionOutput('alpine-3.20', 'kernels'));

    expect(releases).toEqual(['6.6.33-0-virt']);
  });

  it.each([
    [['6.1.0-18-amd64', '6.1.0-21-amd64', '6.1.0-9-amd64'], '6.1.0-21-amd64'],
    [['5.14.0-427.13.1.el9_4.x86_64', '5.14.0-362.24.1.el9_3.x86_64'], '5.14.0-427.13.1.el9_4.x86_64'],
    [['5.15.0-105-generic', '5.15.0-107-generic'], '5.15.0-107-generic'],
    [[], undefined],
  ])('picks the newest of %j', (releases, expected) => {
    expect(newestKernel(releases)).toBe(expected);
  });
});

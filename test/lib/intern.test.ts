import { describe, expect, it } from 'vitest';

import { detachStrings, intern } from '../../src/lib/intern.js';

describe('src/lib/intern', () => {
  it('returns one shared copy per distinct string', () => {
    const a = 'libssl3 3.0.15-1~deb12u1 amd64'.slice(0, 16);
    const b = ['x', 'libssl3 3.0.15-1'].join('').slice(1);

    expect(intern(a)).toBe('libssl3 3.0.15-1');
    expect(intern(b)).toBe(intern(a));
  });

  it('replaces the strings of nested objects and arrays in place, leaving other values alone', () => {
    const facts = { name: 'web1', packages: [{ name: 'openssl', version: '3.0.15', epoch: 0, held: false }], os: { id: 'debian' }, none: null };

    const out = detachStrings(facts);

    expect(out).toBe(facts);
    expect(out).toEqual({ name: 'web1', packages: [{ name: 'openssl', version: '3.0.15', epoch: 0, held: false }], os: { id: 'debian' }, none: null });
  });
});

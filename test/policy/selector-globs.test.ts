import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';

import { literalGlob, matchesSelector } from '../../src/policy/selector.js';

describe('src/policy/selector globs from policies', () => {
  it.each([
    ['a star', 'web-*', 'web-1', true],
    ['a question mark', 'web-?', 'web-1', true],
    ['a class', 'web-[12]', 'web-2', true],
    ['braces', 'web-{a,b}', 'web-b', true],
    ['a regex group, taken literally', '(a|b)', 'a', false],
    ['a regex group, matching itself', '(a|b)', '(a|b)', true],
    ['a plus, taken literally', 'a+', 'aa', false],
    ['an extglob, taken literally', '@(x|y)', 'x', false],
    ['a negation extglob, taken literally', '!(x)', 'y', false],
  ])('matches %s as a plain glob', (_name, pattern, name, expected) => {
    expect(matchesSelector({ name: pattern }, { kind: 'container', name })).toBe(expected);
  });

  it.each(['(a+)+b', '((a|aa)?)+$', '(a*)*b', '*(*(a))'])('compiles %s with no nested quantifier', (pattern) => {
    const source = picomatch.makeRe(literalGlob(pattern), { dot: true, noextglob: true }).source;

    // A quantifier right after a group is what makes backtracking exponential.
    expect(source).not.toMatch(/(?<!\\)\)[+*?{]/);
  });

  it('matches a hostile pattern against a 100 KB label value and answers', () => {
    const value = 'a'.repeat(100_000);

    expect(matchesSelector({ labels: { x: '(a+)+b' } }, { kind: 'container', name: 'c', labels: { x: value } })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';

import { loadYamlSafe, YamlLoadError } from '../../src/lib/yaml-safe.js';
import { aliasBomb } from '../helpers/hostile-yaml.js';

function loadError(text: string, limits = {}): YamlLoadError {
  try {
    loadYamlSafe(text, { limits });
  } catch (error) {
    if (error instanceof YamlLoadError) return error;
    throw error;
  }
  throw new Error('loaded without error');
}

describe('src/lib/yaml-safe', () => {
  it('loads ordinary YAML with the core schema, anchors and aliases included', () => {
    const data = loadYamlSafe('base: &b {x: 1}\nuses: [*b, *b]\nwhen: 2026-01-01\n');

    expect(data).toEqual({ base: { x: 1 }, uses: [{ x: 1 }, { x: 1 }], when: '2026-01-01' });
  });

  it.each([
    ['flow', `checks: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 1],
    ['block', `${Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`, 100],
  ])('refuses %s nesting past the depth limit with the line, before the stack runs out', (_kind, text, line) => {
    const error = loadError(text);

    expect(error.reason).toBe('nesting deeper than 100 levels');
    expect(error.limit).toBe(true);
    expect(error.line).toBe(line);
  });

  it('refuses an alias bomb quickly, naming the line of the alias that crossed the limit', () => {
    const error = loadError(`bomb:\n${aliasBomb(2)}`);

    expect(error.reason).toMatch(/aliases expand to more than 100000 nodes/);
    expect(error.line).toBeGreaterThan(1);
  });

  it('counts alias uses', () => {
    const text = `a: 1\nb: [${Array.from({ length: 20 }, () => '*a').join(', ')}]\n`.replace('a: 1', 'a: &a 1');

    expect(loadError(text, { maxAliases: 10 }).reason).toBe('more than 10 aliases in one document');
  });

  it('refuses a recursive alias, which would make the data a cycle', () => {
    expect(loadError('a: &x [1, *x]\n').reason).toMatch(/alias \*x refers to a node that contains it/);
  });

  it('refuses a document over the size limit before parsing it', () => {
    expect(loadError('a: 1\n'.repeat(100), { maxBytes: 100 }).reason).toBe('the YAML document is 500 bytes, over the limit of 100 bytes');
  });

  it('reports a syntax error with its line and no limit flag', () => {
    const error = loadError('a: 1\nb: [1\n');

    expect(error.limit).toBe(false);
    expect(error.line).toBe(2);
  });

  it('keeps JavaScript types out: !!js/function is an unknown tag', () => {
    expect(loadError('f: !!js/function "function () {}"\n').reason).toMatch(/unknown tag/);
  });
});

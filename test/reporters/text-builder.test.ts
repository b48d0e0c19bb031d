import { describe, expect, it } from 'vitest';

import { TextBuilder } from '../../src/reporters/text-builder.js';

describe('src/reporters/text-builder', () => {
  it.each([
    ['no pieces', [], '\n'],
    ['one empty piece', [''], '\n'],
    ['short pieces', ['a', '', 'b'], '\n'],
    ['pieces past several blocks', Array.from({ length: 5_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`), '\n'],
    ['pieces without a separator', Array.from({ length: 3_000 }, (_, i) => `<li>${i}</li>`.repeat(30)), ''],
  ])('gives what join gives for %s', (_name, pieces, separator) => {
    const text = new TextBuilder(separator);

    for (const p of pieces) text.add(p);

    expect(text.toString()).toBe(pieces.join(separator));
  });

  it('keeps adding after toString', () => {
    const text = new TextBuilder('\n');
    text.addAll(['a', 'b']);
    const first = text.toString();

    text.add('c');

    expect(first).toBe('a\nb');
    expect(text.toString()).toBe('a\nb\nc');
  });
});

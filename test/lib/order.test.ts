import { describe, expect, it } from 'vitest';

import { compareCodeUnits } from '../../src/lib/order.js';

describe('src/lib/order', () => {
  it('orders by UTF-16 code units, capitals before small letters, whatever the locale', () => {
    expect(['web', 'Web', 'api', 'web-2', 'web_1', 'é'].sort(compareCodeUnits)).toEqual(['Web', 'api', 'web', 'web-2', 'web_1', 'é']);
  });

  it('is zero only for equal strings', () => {
    expect(compareCodeUnits('a', 'a')).toBe(0);
    expect(compareCodeUnits('a', 'b')).toBe(-1);
    expect(compareCodeUnits('b', 'a')).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';

import { expandHostRange, splitHostPort } from '../../src/inventory/ansible.js';
import { InventoryError } from '../../src/inventory/errors.js';

const where = { file: 'hosts.ini', line: 3, field: 'pattern' };

describe('src/inventory/ansible', () => {
  it.each([
    ['plain.example.com', ['plain.example.com']],
    ['web[01:03].example.com', ['web01.example.com', 'web02.example.com', 'web03.example.com']],
    ['web[8:11]', ['web8', 'web9', 'web10', 'web11']],
    ['db-[a:c]', ['db-a', 'db-b', 'db-c']],
    ['x[y:B]', ['xy', 'xz', 'xA', 'xB']],
    ['node[0:10:5]', ['node0', 'node5', 'node10']],
    ['x[:2]', ['x0', 'x1', 'x2']],
    ['h[1:2]-[a:b]', ['h1-a', 'h1-b', 'h2-a', 'h2-b']],
  ])('expands %s', (pattern, hosts) => {
    const result = expandHostRange(pattern, where);

    expect(result).toEqual(hosts);
  });

  it.each([
    ['web[3:1]', /begin <= end/],
    ['web[c:a]', /begin <= end/],
    ['web[01:100]', /same number of digits/],
    ['web[1:4:0]', /step must be a whole number above 0/],
    ['web[1:]', /no end value/],
    ['web[a:5]', /numeric .* or alphabetic/],
    ['web[1:2:3:4]', /must be \[begin:end\] or \[begin:end:step\]/],
    ['web[0:99999]', /more than 10000 hosts/],
  ])('rejects the range %s', (pattern, message) => {
    const act = (): string[] => expandHostRange(pattern, where);

    expect(act).toThrow(InventoryError);
    expect(act).toThrow(message);
  });

  it.each([
    ['web1.example.com', { name: 'web1.example.com' }],
    ['web1.example.com:2222', { name: 'web1.example.com', port: 2222 }],
    ['web[01:03]', { name: 'web[01:03]' }],
    ['web[01:03]:2222', { name: 'web[01:03]', port: 2222 }],
    ['2001:db8::5', { name: '2001:db8::5' }],
    ['[2001:db8::5]:2200', { name: '2001:db8::5', port: 2200 }],
  ])('splits the port from %s', (pattern, expected) => {
    const result = splitHostPort(pattern, where);

    expect(result).toEqual(expected);
  });
});

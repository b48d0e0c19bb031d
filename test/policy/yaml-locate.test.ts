import { describe, expect, it } from 'vitest';

import { locateLine } from '../../src/policy/yaml-locate.js';

const TEXT = [
  'apiVersion: palisade/v1', // 1
  'kind: Policy', // 2
  'name: demo', // 3
  '# a comment', // 4
  'checks:', // 5
  '  docker/no-privileged:', // 6
  '    severity: urgent', // 7
  '  "docker/no-host-pid":', // 8
  '    enabled: false', // 9
  'waivers:', // 10
  '  - check: docker/no-host-network', // 11
  '    reason: monitoring agent', // 12
  '  - check: docker/memory-limited', // 13
  '    reason: batch', // 14
  '    expires: tomorrow', // 15
  'gate:', // 16
  '  failOn: high', // 17
].join('\n');

describe('src/policy/yaml-locate', () => {
  it('finds items of a sequence at its key\'s indentation', () => {
    const text = 'waivers:\n- check: a\n  reason: x\n- check: b\n  reason: y\nname: n\n';

    expect(locateLine(text, '/waivers/1/reason')).toBe(5);
    expect(locateLine(text, '/name')).toBe(6);
  });

  it.each([
    ['', 1],
    ['/name', 3],
    ['/checks', 5],
    ['/checks/docker~1no-privileged', 6],
    ['/checks/docker~1no-privileged/severity', 7],
    ['/checks/docker~1no-host-pid/enabled', 9],
    ['/waivers/0', 11],
    ['/waivers/0/reason', 12],
    ['/waivers/1', 13],
    ['/waivers/1/expires', 15],
    ['/gate/failOn', 17],
    ['/gate/minScore', 16],
  ])('locates %s on line %i', (pointer, line) => {
    const found = locateLine(TEXT, pointer);

    expect(found).toBe(line);
  });
});

import { describe, expect, it } from 'vitest';

import { durationMs, hopsFromProxyCommand, jumpFromSshArgs, parseHopSpec, shellSplit } from '../../src/inventory/common.js';

describe('src/inventory/common', () => {
  it.each([
    ['bastion', { host: 'bastion' }],
    ['ops@bastion', { user: 'ops', host: 'bastion' }],
    ['ops@bastion.example.com:2222', { user: 'ops', host: 'bastion.example.com', port: 2222 }],
    ['ssh://ops@bastion:2222', { user: 'ops', host: 'bastion', port: 2222 }],
    ['[2001:db8::1]:2200', { host: '2001:db8::1', port: 2200 }],
    ['ops@2001:db8::1', { user: 'ops', host: '2001:db8::1' }],
    ['@bastion', { error: 'empty user before "@"' }],
    ['bastion:0', { error: '"0" is not a port (1-65535)' }],
    ['bastion:ssh', { error: '"ssh" is not a port (1-65535)' }],
    ['[::1', { error: 'unclosed "[" in address' }],
    ['ops@:22', { error: 'missing host' }],
    ['', { error: 'expected [user@]host[:port]' }],
  ])('parses the hop %j', (text, expected) => {
    const parts = parseHopSpec(text);

    expect(parts).toEqual(expected);
  });

  it.each([
    [10, 10_000],
    [0.5, 500],
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['2m', 120_000],
  ])('reads the duration %j as %i ms', (value, ms) => {
    const result = durationMs(value);

    expect(result).toBe(ms);
  });

  it.each([
    ['-o ProxyJump=bastion', { hops: ['bastion'] }],
    ['-o "ProxyJump user@b:2222,c"', { hops: ['user@b:2222', 'c'] }],
    ['-oProxyJump=b -o StrictHostKeyChecking=no', { hops: ['b'] }],
    ['-J a,b', { hops: ['a', 'b'] }],
    ['-Ja', { hops: ['a'] }],
    ['-o StrictHostKeyChecking=no', undefined],
    ['-o ProxyJump=none', undefined],
    ['-o ProxyCommand="ssh -W %h:%p -q bastion"', { hops: ['bastion'] }],
    ["-o ProxyCommand='ssh -l ops -p 2200 -W %h:%p gw'", { hops: ['ops@gw:2200'] }],
    ['-o ProxyCommand="nc -x proxy:1080 %h %p"', { unsupported: 'ProxyCommand' }],
  ])('finds the jump hops in the ssh arguments %j', (args, expected) => {
    const found = jumpFromSshArgs(args);

    expect(found).toEqual(expected);
  });

  it.each([
    ['ssh -W %h:%p -i ~/.ssh/k admin@[2001:db8::1]:2201', { hops: ['admin@[2001:db8::1]:2201'] }],
    ['ssh bastion', { unsupported: 'ProxyCommand without `-W %h:%p`' }],
    ['ssh -W %h:%p bastion uptime', { unsupported: 'ProxyCommand running a remote command' }],
  ])('reads the ProxyCommand %j', (command, expected) => {
    const found = hopsFromProxyCommand(command);

    expect(found).toEqual(expected);
  });

  it.each([
    [`a 'b c' "d \\"e\\"" f\\ g`, false, ['a', 'b c', 'd "e"', 'f g']],
    ['host x=1 # comment', true, ['host', 'x=1']],
    ['host x=1#not-a-comment', true, ['host', 'x=1#not-a-comment']],
  ])('splits %j as a shell would', (text, comments, words) => {
    const result = shellSplit(text, comments);

    expect(result).toEqual(words);
  });
});

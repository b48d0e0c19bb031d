import { describe, expect, it } from 'vitest';

import { parseSecurityOpt } from '../../src/lib/security-opt.js';

describe('src/lib/security-opt', () => {
  it('leaves no-new-privileges undefined when the container does not set it', () => {
    expect(parseSecurityOpt(['seccomp=unconfined']).noNewPrivileges).toBeUndefined();
  });

  it.each([
    [['seccomp=unconfined'], { seccomp: 'unconfined' }],
    [['seccomp:unconfined'], { seccomp: 'unconfined' }],
    [['apparmor=unconfined'], { apparmor: 'unconfined' }],
    [['no-new-privileges'], { noNewPrivileges: true }],
    [['no-new-privileges:true'], { noNewPrivileges: true }],
    [['no-new-privileges=false'], { noNewPrivileges: false }],
    [['no-new-privileges=1'], { noNewPrivileges: true }],
    [['no-new-privileges=F'], { noNewPrivileges: false }],
    [['label=disable', 'label:type:svirt_t'], { labels: ['disable', 'type:svirt_t'] }],
    [['systempaths=unconfined'], { systempaths: 'unconfined' }],
  ])('parses %j', (entries, expected) => {
    const parsed = parseSecurityOpt(entries);

    expect(parsed).toMatchObject(expected);
  });
});

import { describe, expect, it } from 'vitest';

import { parseSshdConfig } from '../../../../src/checkers/ssh/parsers/sshd.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/sshd', () => {
  it('reads keyword/value lines and joins repeated keywords', () => {
    const text = [
      'port 22',
      'permitrootlogin without-password',
      'hostkey /etc/ssh/ssh_host_rsa_key',
      'hostkey /etc/ssh/ssh_host_ed25519_key',
      'authorizedkeysfile .ssh/authorized_keys .ssh/authorized_keys2',
      'debug1: junk line',
      'Missing privilege separation directory: /run/sshd',
      '',
    ].join('\n');

    const config = parseSshdConfig(text);

    expect(config).toEqual({
      port: '22',
      permitrootlogin: 'without-password',
      hostkey: '/etc/ssh/ssh_host_rsa_key,/etc/ssh/ssh_host_ed25519_key',
      authorizedkeysfile: '.ssh/authorized_keys .ssh/authorized_keys2',
    });
  });

  it.each([
    ['ubuntu-22.04', { permitrootlogin: 'without-password', passwordauthentication: 'no', x11forwarding: 'yes' }],
    ['rocky-9', { permitrootlogin: 'yes', passwordauthentication: 'yes', maxauthtries: '6' }],
    ['opensuse-leap-15.6', { permitrootlogin: 'yes' }],
  ])('reads the %s fixture', (fixture, expected) => {
    const config = parseSshdConfig(sectionOutput(fixture, 'sshd'));

    expect(config).toMatchObject(expected);
    expect(config['listenaddress']).toBe('[::]:22,0.0.0.0:22');
  });

  it('keeps a weak key exchange visible in the list', () => {
    const config = parseSshdConfig(sectionOutput('opensuse-leap-15.6', 'sshd'));

    expect(config['kexalgorithms']?.split(',')).toContain('diffie-hellman-group1-sha1');
  });
});

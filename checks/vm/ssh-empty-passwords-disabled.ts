// Risk: with PermitEmptyPasswords on, any account without a password can be
// logged into over SSH by anyone who knows its name.
import { defineCheck } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';
import { SSHD_ASSUMED_SOURCE, SSHD_SOURCE, sshdSetting } from '../../src/lib/sshd-setting.js';

const SSHD_KEYS = ['sshd'];
// OpenSSH's compiled default, used when `sshd -T` prints no value.
const DEFAULT_PERMIT_EMPTY_PASSWORDS = 'no';


export default defineCheck({
  id: 'vm/ssh-empty-passwords-disabled',
  target: 'host',
  meta: {
    title: 'SSH refuses accounts with empty passwords',
    description:
      '`PermitEmptyPasswords yes` lets sshd accept an empty password for any account that has one (system ' +
      'accounts, forgotten test users, images built with `passwd -d`). Anyone who can reach port 22 and guess the ' +
      'account name is in, with nothing to brute-force. Read from `sshd -T` (needs root); when the key is absent ' +
      'OpenSSH\'s default `no` is assumed. vm/no-empty-passwords finds the accounts themselves.',
    layer: 'access',
    severity: 'critical',
    remediation:
      'Set `PermitEmptyPasswords no` in /etc/ssh/sshd_config (and remove any drop-in in /etc/ssh/sshd_config.d/ ' +
      'that sets it to yes), and lock or set a password for every account without one (`passwd -l <user>`). ' +
      'Check with `sshd -t`, then reload: `systemctl reload ssh` (Debian/Ubuntu), `systemctl reload sshd` (RHEL ' +
      'family, SUSE), `rc-service sshd reload` (Alpine).',
    references: ['cwe:258', 'cwe:521', 'nist-800-53:IA-5', 'https://man.openbsd.org/sshd_config#PermitEmptyPasswords'],
    messages: {
      'empty-passwords-permitted': 'sshd on {{name}} accepts empty passwords (PermitEmptyPasswords yes).',
    },
  },
  appliesTo({ host }) {
    return host.sshd === undefined ? notEvaluated(host, SSHD_KEYS, 'the sshd configuration (sshd -T)', true) : undefined;
  },
  evaluate({ host }) {
    if (host.sshd === undefined) return [];
    const { value, assumed } = sshdSetting(host.sshd, 'permitemptypasswords', DEFAULT_PERMIT_EMPTY_PASSWORDS);
    if (value !== 'yes') return [];
    return [
      {
        messageId: 'empty-passwords-permitted',
        data: { name: host.name },
        evidence: { source: assumed ? SSHD_ASSUMED_SOURCE : SSHD_SOURCE, path: 'permitemptypasswords', observed: value, expected: 'no' },
      },
    ];
  },
});

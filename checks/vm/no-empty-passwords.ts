// Risk: an account with an empty password field can be entered by anyone who
// knows its name, wherever PAM or a service accepts a null password.
import { defineCheck } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

// `shadow` names what is read; `empty-passwords` is the probe section and
// `emptyPasswordAccounts` the field the SSH checker keys it by.
const SHADOW_KEYS = ['shadow', 'empty-passwords', 'emptyPasswordAccounts'];

export default defineCheck({
  id: 'vm/no-empty-passwords',
  target: 'host',
  meta: {
    title: 'No account has an empty password',
    description:
      'An empty password field in /etc/shadow means "no password needed". With `nullok` in PAM (the default in ' +
      'Debian\'s common-auth) or `PermitEmptyPasswords yes` in sshd, anyone can log in as that account, and ' +
      'any local user can `su` to it. Locked accounts (`!` or `*`) are not empty. Only account names are ' +
      'collected: the password field is compared on the host and never leaves it. Reading /etc/shadow needs root; ' +
      'without it the check is not evaluated.',
    layer: 'access',
    severity: 'critical',
    remediation:
      'Lock the account (`passwd -l <user>` or `usermod -L <user>`) or set a password (`passwd <user>`); give ' +
      'service accounts the shell /usr/sbin/nologin. Remove `nullok` from PAM: Debian/Ubuntu ' +
      '/etc/pam.d/common-auth, RHEL family `authselect enable-feature without-nullok`, SUSE ' +
      '/etc/pam.d/common-auth-pc (`pam-config`), Alpine /etc/pam.d/base-auth when PAM is used. Keep ' +
      '`PermitEmptyPasswords no` in sshd_config.',
    references: ['cwe:258', 'cwe:521', 'nist-800-53:IA-5', 'https://man7.org/linux/man-pages/man5/shadow.5.html'],
    messages: {
      'empty-password': 'Account {{user}} on {{name}} has an empty password.',
    },
  },
  appliesTo({ host }) {
    return host.emptyPasswordAccounts === undefined ? notEvaluated(host, SHADOW_KEYS, 'the password fields in /etc/shadow', true) : undefined;
  },
  evaluate({ host }) {
    return [...new Set(host.emptyPasswordAccounts ?? [])].map((user) => ({
      messageId: 'empty-password',
      data: { name: host.name, user },
      evidence: { source: '/etc/shadow', path: 'emptyPasswordAccounts', observed: user, expected: 'a password hash or a locked account (! or *)' },
      key: user,
    }));
  },
});

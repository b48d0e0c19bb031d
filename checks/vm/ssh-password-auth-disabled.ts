// Risk: SSH password logins can be brute-forced, sprayed with leaked passwords
// and phished, and every exposed host gets such attempts within minutes.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';
import { SSHD_ASSUMED_SOURCE, SSHD_SOURCE, sshdSetting } from '../../src/lib/sshd-setting.js';

const SSHD_KEYS = ['sshd'];
// OpenSSH's compiled defaults, used when `sshd -T` prints no value.
const DEFAULT_PASSWORD_AUTHENTICATION = 'yes';
const DEFAULT_KBD_INTERACTIVE = 'yes';
const DEFAULT_USE_PAM = 'no';


/**
 * `AuthenticationMethods` with `publickey` in every list (`publickey,password`,
 * `publickey,keyboard-interactive`): a password is then only a second factor
 * and cannot log in on its own.
 */
function keyAlwaysRequired(sshd: Readonly<Record<string, string>>): boolean {
  const raw = (sshd['authenticationmethods'] ?? 'any').trim().toLowerCase();
  if (raw === '' || raw === 'any') return false;
  return raw.split(/\s+/).every((list) => list.split(',').includes('publickey'));
}

export default defineCheck({
  id: 'vm/ssh-password-auth-disabled',
  target: 'host',
  meta: {
    title: 'SSH does not accept passwords',
    description:
      'Passwords sent to sshd can be guessed, sprayed from breach lists and phished; keys cannot. Two settings let ' +
      'a password in: `PasswordAuthentication yes`, and keyboard-interactive authentication ' +
      '(`KbdInteractiveAuthentication`, `ChallengeResponseAuthentication` before OpenSSH 8.7) with `UsePAM yes`, ' +
      'where PAM usually asks for the account password. When `AuthenticationMethods` requires `publickey` in every ' +
      'method list, a password is only a second factor and passes. Read from `sshd -T` (needs root); absent keys ' +
      'take OpenSSH\'s defaults: PasswordAuthentication yes, KbdInteractiveAuthentication yes, UsePAM no.',
    layer: 'access',
    severity: 'high',
    remediation:
      'Set `PasswordAuthentication no` and `KbdInteractiveAuthentication no` (`ChallengeResponseAuthentication no` ' +
      'on OpenSSH before 8.7) in /etc/ssh/sshd_config or in a drop-in that sorts before the others in ' +
      '/etc/ssh/sshd_config.d/ (cloud images ship `50-cloud-init.conf` with `PasswordAuthentication yes`; the first ' +
      'value read wins), after installing keys for every user. For a second factor use `AuthenticationMethods ' +
      'publickey,keyboard-interactive`. Check with `sshd -t`, then `systemctl reload ssh` (Debian/Ubuntu), ' +
      '`systemctl reload sshd` (RHEL family, SUSE) or `rc-service sshd reload` (Alpine).',
    references: [
      'cwe:307',
      'cwe:309',
      'nist-800-53:IA-2',
      'https://man.openbsd.org/sshd_config#PasswordAuthentication',
      'https://man.openbsd.org/sshd_config#KbdInteractiveAuthentication',
    ],
    messages: {
      'password-auth': 'sshd on {{name}} accepts passwords (PasswordAuthentication yes).',
      'keyboard-interactive-pam':
        'sshd on {{name}} accepts passwords through PAM keyboard-interactive authentication ({{key}} yes with UsePAM yes).',
    },
  },
  appliesTo({ host }) {
    return host.sshd === undefined ? notEvaluated(host, SSHD_KEYS, 'the sshd configuration (sshd -T)', true) : undefined;
  },
  evaluate({ host }) {
    const sshd = host.sshd;
    if (sshd === undefined || keyAlwaysRequired(sshd)) return [];
    const violations: Violation[] = [];
    const password = sshdSetting(sshd, 'passwordauthentication', DEFAULT_PASSWORD_AUTHENTICATION);
    if (password.value === 'yes') {
      violations.push({
        messageId: 'password-auth',
        data: { name: host.name },
        evidence: { source: password.assumed ? SSHD_ASSUMED_SOURCE : SSHD_SOURCE, path: 'passwordauthentication', observed: 'yes', expected: 'no' },
        key: 'password',
      });
    }
    // OpenSSH 8.7 renamed ChallengeResponseAuthentication; older sshd -T prints only the old name.
    const kbdKey = sshd['kbdinteractiveauthentication'] !== undefined || sshd['challengeresponseauthentication'] === undefined
      ? 'kbdinteractiveauthentication'
      : 'challengeresponseauthentication';
    const kbd = sshdSetting(sshd, kbdKey, DEFAULT_KBD_INTERACTIVE);
    const pam = sshdSetting(sshd, 'usepam', DEFAULT_USE_PAM);
    if (kbd.value === 'yes' && pam.value === 'yes') {
      violations.push({
        messageId: 'keyboard-interactive-pam',
        data: {
          name: host.name,
          key: kbdKey === 'kbdinteractiveauthentication' ? 'KbdInteractiveAuthentication' : 'ChallengeResponseAuthentication',
        },
        evidence: {
          source: kbd.assumed ? SSHD_ASSUMED_SOURCE : SSHD_SOURCE,
          path: kbdKey,
          observed: { [kbdKey]: 'yes', usepam: 'yes' },
          expected: { [kbdKey]: 'no' },
        },
        key: 'keyboard-interactive',
      });
    }
    return violations;
  },
});

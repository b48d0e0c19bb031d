// Risk: direct root login over SSH gives an attacker who gets one credential
// the whole host, with no separate account to audit or lock.
import { defineCheck, type EvaluationContext } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';
import { SSHD_ASSUMED_SOURCE, SSHD_SOURCE, sshdSetting } from '../../src/lib/sshd-setting.js';

const SSHD_KEYS = ['sshd'];
// OpenSSH's compiled default since 7.0, used when `sshd -T` prints no value.
const DEFAULT_PERMIT_ROOT_LOGIN = 'prohibit-password';


function allowProhibitPassword(ctx: EvaluationContext): boolean {
  return ctx.params['allowProhibitPassword'] === true;
}

export default defineCheck({
  id: 'vm/ssh-root-login-disabled',
  target: 'host',
  meta: {
    title: 'SSH does not allow root to log in',
    description:
      'With `PermitRootLogin yes`, anyone who guesses or steals the root password or key owns the host at once, ' +
      'and every session is "root" with no named account behind it. `prohibit-password` (formerly ' +
      '`without-password`) and `forced-commands-only` limit root to keys, which removes password guessing but not ' +
      'key theft or the missing accountability; they fail with a lower-impact message unless the ' +
      '`allowProhibitPassword` parameter accepts them. The effective value comes from `sshd -T`, which needs root; ' +
      'when it lacks the key, OpenSSH\'s default `prohibit-password` is assumed.',
    layer: 'access',
    severity: 'high',
    remediation:
      'Set `PermitRootLogin no` in /etc/ssh/sshd_config, or in a drop-in that sorts first in /etc/ssh/sshd_config.d/ ' +
      '(the first value sshd reads wins; Debian 12, Ubuntu 22.04+, RHEL 9 and Fedora include that directory), log in ' +
      'as a named user and use `sudo`. Check with `sshd -t`, then reload: `systemctl reload ssh` (Debian/Ubuntu), ' +
      '`systemctl reload sshd` (RHEL family, SUSE), `rc-service sshd reload` (Alpine).',
    references: ['cwe:250', 'nist-800-53:AC-6', 'https://man.openbsd.org/sshd_config#PermitRootLogin'],
    messages: {
      'root-login-allowed': 'sshd on {{name}} lets root log in (PermitRootLogin {{value}}).',
      'root-login-key-only': 'sshd on {{name}} lets root log in with a key (PermitRootLogin {{value}}).',
      'root-login-forced-commands': 'sshd on {{name}} lets root run forced commands with a key (PermitRootLogin forced-commands-only).',
    },
    parameters: {
      allowProhibitPassword: {
        description: 'Accept `prohibit-password`, `without-password` and `forced-commands-only` (root by key only).',
        schema: { type: 'boolean' },
        default: false,
      },
    },
  },
  appliesTo({ host }) {
    return host.sshd === undefined ? notEvaluated(host, SSHD_KEYS, 'the sshd configuration (sshd -T)', true) : undefined;
  },
  evaluate({ host }, ctx) {
    if (host.sshd === undefined) return [];
    const { value, assumed } = sshdSetting(host.sshd, 'permitrootlogin', DEFAULT_PERMIT_ROOT_LOGIN);
    if (value === 'no') return [];
    const keyOnly = value === 'prohibit-password' || value === 'without-password';
    const forced = value === 'forced-commands-only';
    if ((keyOnly || forced) && allowProhibitPassword(ctx)) return [];
    return [
      {
        messageId: keyOnly ? 'root-login-key-only' : forced ? 'root-login-forced-commands' : 'root-login-allowed',
        data: { name: host.name, value },
        evidence: { source: assumed ? SSHD_ASSUMED_SOURCE : SSHD_SOURCE, path: 'permitrootlogin', observed: value, expected: 'no' },
      },
    ];
  },
});

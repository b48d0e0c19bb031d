// Risk: many authentication attempts per connection make guessing passwords
// and trying stolen keys over SSH cheaper.
import { defineCheck, type EvaluationContext } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';
import { SSHD_ASSUMED_SOURCE, SSHD_SOURCE, sshdSetting } from '../../src/lib/sshd-setting.js';

const SSHD_KEYS = ['sshd'];
// OpenSSH's compiled default, used when `sshd -T` prints no value.
const DEFAULT_MAX_AUTH_TRIES = '6';
const DEFAULT_MAX = 4;


function maxAllowed(ctx: EvaluationContext): number {
  const value = ctx.params['max'];
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? value : DEFAULT_MAX;
}

function maxAuthTries(sshd: Readonly<Record<string, string>>): { tries: number | undefined; value: string; assumed: boolean } {
  const { value, assumed } = sshdSetting(sshd, 'maxauthtries', DEFAULT_MAX_AUTH_TRIES);
  return { tries: /^\d{1,9}$/.test(value) ? Number(value) : undefined, value, assumed };
}

export default defineCheck({
  id: 'vm/ssh-max-auth-tries',
  target: 'host',
  meta: {
    title: 'SSH limits authentication attempts per connection',
    description:
      '`MaxAuthTries` is how many authentication attempts sshd allows on one connection before it disconnects ' +
      '(and, past half of it, logs failures). A low limit slows password guessing and key spraying and makes them ' +
      'visible in the logs sooner. Read from `sshd -T` (needs root); when the key is absent OpenSSH\'s default ' +
      '6 is assumed, which is above the default limit of 4.',
    layer: 'access',
    severity: 'low',
    remediation:
      'Set `MaxAuthTries 4` (or lower) in /etc/ssh/sshd_config or a drop-in in /etc/ssh/sshd_config.d/; users ' +
      'with many keys in their agent should name the right one with `IdentitiesOnly yes` and `IdentityFile` on ' +
      'the client. ' +
      'Check with `sshd -t`, then reload: `systemctl reload ssh` (Debian/Ubuntu), `systemctl reload sshd` (RHEL ' +
      'family, SUSE), `rc-service sshd reload` (Alpine).',
    references: ['cwe:307', 'nist-800-53:AC-7', 'https://man.openbsd.org/sshd_config#MaxAuthTries'],
    messages: {
      'too-many-tries': 'sshd on {{name}} allows {{tries}} authentication attempts per connection (at most {{max}} allowed).',
    },
    parameters: {
      max: {
        description: 'Largest accepted MaxAuthTries.',
        schema: { type: 'integer', minimum: 1 },
        default: DEFAULT_MAX,
      },
    },
  },
  appliesTo({ host }) {
    if (host.sshd === undefined) return notEvaluated(host, SSHD_KEYS, 'the sshd configuration (sshd -T)', true);
    const { tries, value } = maxAuthTries(host.sshd);
    return tries === undefined ? `not evaluated: sshd -T reported maxauthtries ${JSON.stringify(value)}, which is not a number` : undefined;
  },
  evaluate({ host }, ctx) {
    if (host.sshd === undefined) return [];
    const { tries, assumed } = maxAuthTries(host.sshd);
    const max = maxAllowed(ctx);
    if (tries === undefined || tries <= max) return [];
    return [
      {
        messageId: 'too-many-tries',
        data: { name: host.name, tries, max },
        evidence: { source: assumed ? SSHD_ASSUMED_SOURCE : SSHD_SOURCE, path: 'maxauthtries', observed: tries, expected: `at most ${max}` },
      },
    ];
  },
});

// Risk: X11 forwarding opens a channel from the server back to the user's X
// display, which a compromised host can use to read keystrokes and screens.
import { defineCheck } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';
import { SSHD_ASSUMED_SOURCE, SSHD_SOURCE, sshdSetting } from '../../src/lib/sshd-setting.js';

const SSHD_KEYS = ['sshd'];
// OpenSSH's compiled default, used when `sshd -T` prints no value.
const DEFAULT_X11_FORWARDING = 'no';


export default defineCheck({
  id: 'vm/ssh-x11-forwarding-disabled',
  target: 'host',
  meta: {
    title: 'SSH X11 forwarding is disabled',
    description:
      'With X11 forwarding a session\'s X clients on the server draw on the user\'s workstation. Root, or anyone ' +
      'who compromises the server, can use that channel to log keystrokes, take screenshots and inject input on the ' +
      'workstation. Servers rarely need it. Read from `sshd -T` (needs root); when the key is absent OpenSSH\'s ' +
      'default `no` is assumed.',
    layer: 'access',
    severity: 'low',
    remediation:
      'Set `X11Forwarding no` in /etc/ssh/sshd_config (Debian and Ubuntu ship `X11Forwarding yes`; also check ' +
      'drop-ins in /etc/ssh/sshd_config.d/). If one group needs it, allow it in a `Match Group` block only. ' +
      'Check with `sshd -t`, then reload: `systemctl reload ssh` (Debian/Ubuntu), `systemctl reload sshd` (RHEL ' +
      'family, SUSE), `rc-service sshd reload` (Alpine).',
    references: ['cwe:668', 'nist-800-53:CM-7', 'https://man.openbsd.org/sshd_config#X11Forwarding'],
    messages: {
      'x11-forwarding': 'sshd on {{name}} allows X11 forwarding (X11Forwarding yes).',
    },
  },
  appliesTo({ host }) {
    return host.sshd === undefined ? notEvaluated(host, SSHD_KEYS, 'the sshd configuration (sshd -T)', true) : undefined;
  },
  evaluate({ host }) {
    if (host.sshd === undefined) return [];
    const { value, assumed } = sshdSetting(host.sshd, 'x11forwarding', DEFAULT_X11_FORWARDING);
    if (value !== 'yes') return [];
    return [
      {
        messageId: 'x11-forwarding',
        data: { name: host.name },
        evidence: { source: assumed ? SSHD_ASSUMED_SOURCE : SSHD_SOURCE, path: 'x11forwarding', observed: value, expected: 'no' },
      },
    ];
  },
});

// Risk: without a host firewall every service that listens, including ones
// started by accident, is reachable from every network the host is on.
import { defineCheck } from '../../src/model/check.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const FIREWALL_KEYS = ['firewall'];

export default defineCheck({
  id: 'vm/host-firewall-enabled',
  target: 'host',
  meta: {
    title: 'Host firewall filters incoming traffic',
    description:
      'A host firewall is the last line of segmentation: it keeps services that should be local (databases, ' +
      'metrics, debug ports) off the network even when they bind to every interface, and limits what a compromised ' +
      'neighbour can reach. The nftables ruleset and the iptables INPUT chain are read (ufw and firewalld write ' +
      'into one of them). A host with no ruleset at all, or an input path that accepts by default and has no ' +
      'rules, filters nothing. Reading the ruleset needs root.',
    layer: 'segmentation',
    severity: 'high',
    remediation:
      'Enable a default-deny input policy that allows only the services the host offers. Debian/Ubuntu with ufw: ' +
      '`ufw default deny incoming && ufw allow 22/tcp && ufw enable`. RHEL family and SUSE with firewalld: ' +
      '`systemctl enable --now firewalld` and open services with `firewall-cmd --permanent --add-service=ssh && ' +
      'firewall-cmd --reload`. Plain nftables: an `inet filter` table whose `input` chain has `policy drop;` with ' +
      '`ct state established,related accept`, `iif lo accept` and your service rules, in /etc/nftables.conf, then ' +
      '`systemctl enable --now nftables` (Alpine: `rc-update add nftables`). Plain iptables: allow established, ' +
      'loopback and SSH, then `iptables -P INPUT DROP` (and `ip6tables -P INPUT DROP`), persisted with ' +
      '`netfilter-persistent save` or `service iptables save`.',
    references: [
      'cwe:284',
      'nist-800-53:SC-7',
      'https://wiki.nftables.org/wiki-nftables/index.php/Simple_ruleset_for_a_server',
      'https://firewalld.org/documentation/',
      'https://manpages.debian.org/bookworm/ufw/ufw.8.en.html',
    ],
    messages: {
      'no-firewall': 'Host {{name}} has no firewall ruleset (neither nftables nor iptables filters input).',
      'accept-all': 'Host {{name}} accepts all incoming traffic: the {{backend}} input policy is accept and it has no rules.',
    },
  },
  appliesTo({ host }) {
    return host.firewall === undefined ? notEvaluated(host, FIREWALL_KEYS, 'the firewall ruleset') : undefined;
  },
  evaluate({ host }) {
    const firewall = host.firewall;
    if (firewall === undefined) return [];
    if (firewall.backend === 'none') {
      return [
        {
          messageId: 'no-firewall',
          data: { name: host.name },
          evidence: { source: 'firewall ruleset', path: 'firewall.backend', observed: 'none', expected: 'nftables or iptables' },
        },
      ];
    }
    if (firewall.inputPolicy === 'accept' && firewall.inputRules === 0) {
      return [
        {
          messageId: 'accept-all',
          data: { name: host.name, backend: firewall.backend },
          evidence: {
            source: 'firewall ruleset',
            path: 'firewall.inputPolicy',
            observed: { backend: firewall.backend, inputPolicy: 'accept', inputRules: 0 },
            expected: 'input policy drop or reject, or input rules',
          },
        },
      ];
    }
    return [];
  },
});

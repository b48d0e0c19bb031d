// Risk: a host that forwards IP packets can route traffic between the networks
// it sits on, bridging segments the network design keeps apart.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { stringList } from '../../src/lib/params.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const FORWARDING_KEYS = ['ip-forwarding', 'ipForwarding'];
const DEFAULT_ROUTER_TAGS = ['router', 'gateway', 'docker-host', 'kubernetes-node'];

export default defineCheck({
  id: 'vm/ip-forwarding-disabled',
  target: 'host',
  meta: {
    title: 'IP forwarding is off on hosts that are not routers',
    description:
      'With `net.ipv4.ip_forward` or `net.ipv6.conf.all.forwarding` on, the kernel routes packets between the ' +
      'host\'s interfaces: a compromised or misconfigured host becomes a path between segments that should not ' +
      'talk. Routers, gateways, Docker hosts and Kubernetes nodes need forwarding for their work (Docker and ' +
      'kube-proxy switch it on themselves), so hosts tagged as such in the inventory are not judged.',
    layer: 'segmentation',
    severity: 'medium',
    remediation:
      'Turn forwarding off: `sysctl -w net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0`, and persist it in ' +
      '/etc/sysctl.d/90-no-forwarding.conf (`net.ipv4.ip_forward = 0`, `net.ipv6.conf.all.forwarding = 0`); ' +
      'on Alpine also check /etc/sysctl.conf. If the host is meant to route or runs Docker or Kubernetes, tag it ' +
      'in the inventory with one of the `routerTags` (e.g. `docker-host`).',
    references: ['cwe:923', 'nist-800-53:SC-7', 'https://docs.kernel.org/networking/ip-sysctl.html'],
    messages: {
      'ipv4-forwarding': 'Host {{name}} forwards IPv4 packets (net.ipv4.ip_forward = 1) but is not tagged as a router.',
      'ipv6-forwarding': 'Host {{name}} forwards IPv6 packets (net.ipv6.conf.all.forwarding = 1) but is not tagged as a router.',
    },
    parameters: {
      routerTags: {
        description:
          'Inventory tags of hosts that forward on purpose (routers, gateways, Docker hosts, Kubernetes nodes); ' +
          'the check does not apply to them.',
        schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        default: DEFAULT_ROUTER_TAGS,
      },
    },
  },
  appliesTo({ host }, ctx) {
    const routerTags = new Set(stringList(ctx.params['routerTags']));
    const tag = host.tags.find((t) => routerTags.has(t));
    if (tag !== undefined) {
      return `host is tagged ${tag}: routers, gateways, Docker hosts and Kubernetes nodes need IP forwarding`;
    }
    return host.ipForwarding === undefined ? notEvaluated(host, FORWARDING_KEYS, 'the IP forwarding switches') : undefined;
  },
  evaluate({ host }) {
    const forwarding = host.ipForwarding;
    if (forwarding === undefined) return [];
    const violations: Violation[] = [];
    if (forwarding.ipv4) {
      violations.push({
        messageId: 'ipv4-forwarding',
        data: { name: host.name },
        evidence: { source: 'sysctl', path: 'net.ipv4.ip_forward', observed: 1, expected: 0 },
        key: 'ipv4',
      });
    }
    if (forwarding.ipv6) {
      violations.push({
        messageId: 'ipv6-forwarding',
        data: { name: host.name },
        evidence: { source: 'sysctl', path: 'net.ipv6.conf.all.forwarding', observed: 1, expected: 0 },
        key: 'ipv6',
      });
    }
    return violations;
  },
});

// Risk: a service listening on every interface is reachable from every network
// the host is on, including segments that should never talk to it.
import { defineCheck, type EvaluationContext, type Violation } from '../../src/model/check.js';
import type { HostFacts, ListeningSocket } from '../../src/model/facts.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const LISTENING_KEYS = ['listening'];
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '*']);
const DEFAULT_ALLOWED: Readonly<Record<string, number[]>> = { '*': [22] };

/** Ports allowed on every segment (`*`) plus those allowed on the host's own segment. */
function allowedPorts(host: HostFacts, ctx: EvaluationContext): Set<number> {
  const raw = ctx.params['allowedPorts'];
  const table = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : DEFAULT_ALLOWED;
  const lists = [table['*'], host.segment !== undefined ? table[host.segment] : undefined];
  const ports = new Set<number>();
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const port of list) if (typeof port === 'number') ports.add(port);
  }
  return ports;
}

function socketKey(socket: ListeningSocket): string {
  return `${socket.protocol}/${socket.port}`;
}

export default defineCheck({
  id: 'vm/listening-services-allowed',
  target: 'host',
  meta: {
    title: 'Only allowed services listen on all interfaces',
    description:
      'Each service bound to a wildcard address (`0.0.0.0`, `::`, `*`) is reachable on every network the host is ' +
      'attached to, and is one firewall mistake away from being reachable from anywhere. Each host segment has a ' +
      'list of ports that may listen that way (SSH everywhere by default); anything else should bind to loopback or ' +
      'to the one address it serves. Sockets bound to a specific address are not judged. Without root, process ' +
      'names of other users\' sockets are not visible, but the sockets are.',
    layer: 'segmentation',
    severity: 'medium',
    remediation:
      'Bind the service to loopback or to the one interface address it serves (e.g. PostgreSQL `listen_addresses = ' +
      "'localhost'`, Redis `bind 127.0.0.1`, MySQL `bind-address = 127.0.0.1`, sshd `ListenAddress`), disable it " +
      '(`systemctl disable --now <unit>`) if unused, or, if it must be reachable, add its port to the `allowedPorts` ' +
      'parameter for the host\'s segment and restrict sources in the host firewall (nft, iptables, `ufw allow from ' +
      '<cidr> to any port <port>`, `firewall-cmd --add-rich-rule`).',
    references: ['cwe:1327', 'nist-800-53:CM-7', 'https://man7.org/linux/man-pages/man8/ss.8.html'],
    messages: {
      'not-allowed':
        'Host {{name}} listens on {{protocol}} port {{port}} on all interfaces ({{addresses}}{{process}}), which is not allowed for segment {{segment}}.',
    },
    parameters: {
      allowedPorts: {
        description:
          'Ports that may listen on all interfaces, by segment name; `*` applies to every segment and is added to ' +
          'the host\'s own segment\'s list. A policy that sets this replaces the default, so keep `"*": [22]` for SSH. ' +
          'Ports apply to TCP and UDP alike.',
        schema: {
          type: 'object',
          additionalProperties: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 65535 }, uniqueItems: true },
        },
        default: DEFAULT_ALLOWED,
      },
    },
  },
  appliesTo({ host }) {
    return host.listening === undefined ? notEvaluated(host, LISTENING_KEYS, 'listening sockets') : undefined;
  },
  evaluate({ host }, ctx) {
    const allowed = allowedPorts(host, ctx);
    // IPv4 and IPv6 wildcard sockets of one service are one finding.
    const byKey = new Map<string, ListeningSocket[]>();
    for (const socket of host.listening ?? []) {
      if (!ALL_INTERFACES.has(socket.address.trim()) || allowed.has(socket.port)) continue;
      const key = socketKey(socket);
      const group = byKey.get(key);
      if (group) group.push(socket);
      else byKey.set(key, [socket]);
    }
    const violations: Violation[] = [];
    for (const [key, sockets] of byKey) {
      const first = sockets[0] as ListeningSocket;
      const processes = [...new Set(sockets.map((s) => s.process).filter((p): p is string => p !== undefined && p !== ''))];
      violations.push({
        messageId: 'not-allowed',
        data: {
          name: host.name,
          protocol: first.protocol,
          port: first.port,
          addresses: [...new Set(sockets.map((s) => s.address))].join(', '),
          process: processes.length > 0 ? `, ${processes.join(', ')}` : '',
          segment: host.segment ?? '(none)',
        },
        evidence: {
          source: 'listening sockets',
          path: 'listening',
          observed: sockets.map((s) => ({ protocol: s.protocol, address: s.address, port: s.port, ...(s.process ? { process: s.process } : {}) })),
          expected: `bound to a specific address, or port in allowedPorts for segment ${host.segment ?? '*'}`,
        },
        key,
      });
    }
    return violations;
  },
});

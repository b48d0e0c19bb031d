// Risk: a network path that policy forbids between two segments (web to
// database, DMZ to management) lets an intruder on one move into the other.
import { defineCheck, type EvaluationContext, type Violation } from '../../src/model/check.js';
import type { FlowProbe, HostFacts } from '../../src/model/facts.js';
import { notEvaluated } from '../../src/lib/not-collected.js';

const FLOWS_KEYS = ['flows'];

interface ForbiddenFlow {
  from: string;
  to: string;
}

function forbiddenFlows(ctx: EvaluationContext): ForbiddenFlow[] {
  const raw = ctx.params['forbiddenFlows'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (f): f is ForbiddenFlow =>
      f !== null && typeof f === 'object' && typeof (f as ForbiddenFlow).from === 'string' && typeof (f as ForbiddenFlow).to === 'string',
  );
}

function matches(pattern: string, segment: string): boolean {
  return pattern === '*' || pattern === segment;
}

/** Probes from this host whose (segment -> destination segment) pair the policy forbids. */
function forbiddenProbes(host: HostFacts, ctx: EvaluationContext): FlowProbe[] {
  const from = host.segment;
  if (from === undefined) return [];
  const rules = forbiddenFlows(ctx);
  return (host.flows ?? []).filter((flow) => {
    const to = flow.toSegment;
    return to !== undefined && rules.some((rule) => matches(rule.from, from) && matches(rule.to, to));
  });
}

function flowKey(flow: FlowProbe): string {
  return `${flow.toHost}:${flow.port}`;
}

export default defineCheck({
  id: 'vm/segment-flows-blocked',
  target: 'host',
  meta: {
    title: 'Forbidden flows between segments are blocked',
    description:
      'Segmentation is only real if packets are actually stopped. For every pair of inventory hosts whose segments ' +
      'the policy says must not talk, palisade opens a TCP connection from one host to each listening port of the ' +
      'other, over the existing SSH session and with a short timeout, and reports each connection that succeeds. ' +
      'Only inventory addresses are probed. A probe that could not run is never taken as blocked: if no forbidden ' +
      'flow is open but some probes failed, the check is not evaluated.',
    layer: 'segmentation',
    severity: 'high',
    remediation:
      'Block the flow where the segments meet (the router, security group or VLAN ACL) and on the destination ' +
      'host: nftables `ip saddr <source-cidr> tcp dport <port> drop` in the input chain, iptables `iptables -A ' +
      'INPUT -s <source-cidr> -p tcp --dport <port> -j DROP`, ufw `ufw deny from <source-cidr> to any port <port>`, ' +
      'firewalld `firewall-cmd --permanent --zone=<zone> --remove-service=<service>` or a rich rule rejecting the ' +
      'source. If the flow is intended, remove the pair from the `forbiddenFlows` parameter.',
    references: ['cwe:923', 'nist-800-53:SC-7', 'nist-800-53:AC-4', 'https://wiki.nftables.org/wiki-nftables/index.php/Main_Page'],
    messages: {
      'flow-open':
        'Host {{name}} (segment {{fromSegment}}) can connect to {{toHost}} ({{address}}:{{port}}, segment {{toSegment}}), a flow the policy forbids.',
    },
    parameters: {
      forbiddenFlows: {
        description:
          'Segment pairs that must not talk: `{ from, to }` by segment name, where `*` stands for any segment. ' +
          'Reachability probes run only for these pairs.',
        schema: {
          type: 'array',
          items: {
            type: 'object',
            properties: { from: { type: 'string', minLength: 1 }, to: { type: 'string', minLength: 1 } },
            required: ['from', 'to'],
            additionalProperties: false,
          },
        },
        default: [],
      },
    },
  },
  appliesTo({ host }, ctx) {
    if (host.flows === undefined && FLOWS_KEYS.some((key) => host.notCollected[key] !== undefined)) {
      return notEvaluated(host, FLOWS_KEYS, 'reachability probes');
    }
    if (host.flows === undefined || host.flows.length === 0) {
      return 'no reachability probes ran from this host: the policy\'s forbiddenFlows give it no segment pair to probe';
    }
    if (host.segment === undefined) return 'host has no segment in the inventory, so no flow from it is forbidden';
    const probes = forbiddenProbes(host, ctx);
    if (probes.length === 0) return `no probe from segment ${host.segment} targets a segment forbiddenFlows forbids`;
    if (!probes.some((p) => p.result === 'open')) {
      const failed = probes.filter((p) => p.result === 'error');
      const first = failed[0];
      if (first !== undefined) {
        const detail = `${flowKey(first)}: ${first.detail ?? 'no detail'}`;
        return `not evaluated: ${failed.length} of ${probes.length} forbidden-flow probes could not run (${detail})`;
      }
    }
    return undefined;
  },
  evaluate({ host }, ctx) {
    const seen = new Set<string>();
    const violations: Violation[] = [];
    for (const flow of forbiddenProbes(host, ctx)) {
      if (flow.result !== 'open') continue;
      const key = flowKey(flow);
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push({
        messageId: 'flow-open',
        data: {
          name: host.name,
          fromSegment: host.segment ?? '',
          toHost: flow.toHost,
          toSegment: flow.toSegment ?? '',
          address: flow.address,
          port: flow.port,
        },
        evidence: {
          source: 'reachability probe',
          path: `flows[${key}]`,
          observed: { toHost: flow.toHost, toSegment: flow.toSegment, address: flow.address, port: flow.port, result: 'open' },
          expected: 'closed or filtered',
        },
        key,
      });
    }
    return violations;
  },
});

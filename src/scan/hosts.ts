// Gathers host (VM) facts over SSH for a scan: one connection per host, one
// fixed probe script, then (when the policy forbids flows between segments)
// TCP probes from each host to the listening ports of hosts in segments it
// must not reach, over the same SSH connection. Bounded concurrency; one
// failing host never stops the others.
import path from 'node:path';

import { ecosystemFor } from '../advisories/ecosystems.js';
import { detachStrings } from '../lib/intern.js';
import { matchAdvisories, type AdvisoryDatabase } from '../advisories/osv.js';
import { buildHostFacts } from '../checkers/ssh/host-facts.js';
import { buildProbeScript } from '../checkers/ssh/probe.js';
import { splitProbeOutput } from '../checkers/ssh/sections.js';
import { connectHost, type SshSession, type SshTarget } from '../checkers/ssh/transport.js';
import { CollectError } from '../errors.js';
import type { InventoryHost } from '../inventory/types.js';
import { LIMITS, formatBytes } from '../lib/limits.js';
import { compareCodeUnits } from '../lib/order.js';
import type { AdvisoryMatchFacts, FlowProbe, HostFacts } from '../model/facts.js';
import type { SourceLocation } from '../model/report.js';

export interface HostCollection {
  host: InventoryHost;
  facts?: HostFacts;
  error?: string;
  warnings: string[];
  durationMs: number;
}

export interface HostScanOptions {
  concurrency: number;
  trustOnFirstUse: boolean;
  /** Pairs of segments that must not talk: probe from `from` hosts to `to` hosts. */
  forbiddenFlows: readonly { from: string; to: string }[];
  advisories?: AdvisoryDatabase;
  flowTimeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** After each host: how many are done of how many, the host just finished and its error. */
  onProgress?: (done: number, total: number, host?: string, error?: string) => void;
  /** For tests: replaces connectHost. */
  connect?: (target: SshTarget, options: { trustOnFirstUse: boolean; env?: NodeJS.ProcessEnv }) => Promise<SshSession>;
}

const PROBE_MAX_BYTES = LIMITS.probeOutputBytes;

function sshTarget(host: InventoryHost): SshTarget {
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    identityFile: host.identityFile,
    identityPassphraseEnv: host.identityPassphraseEnv,
    hostKeyFingerprint: host.hostKeyFingerprint,
    knownHostsFiles: host.knownHostsFiles,
    jump: host.jump.map((j) => ({ ...j })),
    connectTimeoutMs: host.connectTimeoutMs,
    commandTimeoutMs: host.commandTimeoutMs,
  };
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  });
  await Promise.all(workers);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function advisoriesFor(facts: HostFacts, db: AdvisoryDatabase): AdvisoryMatchFacts[] | undefined {
  if (!facts.packages || !facts.packageFormat) return undefined;
  const ecosystem = ecosystemFor(facts.os.id, facts.os.versionId);
  if (!ecosystem) return undefined;
  const result = matchAdvisories(db, { ecosystem, packages: facts.packages, format: facts.packageFormat });
  return result.matches.map((m) => {
    const out: AdvisoryMatchFacts = {
      id: m.advisoryId,
      aliases: m.aliases,
      ecosystem: m.ecosystem,
      packageName: m.packageName,
      installedVersion: m.installedVersion,
    };
    if (m.summary !== undefined) out.summary = m.summary;
    if (m.level !== undefined) out.severity = m.level;
    if (m.fixedVersion !== undefined) out.fixedVersion = m.fixedVersion;
    return out;
  });
}

/** Loopback and link-local binds cannot be reached from another host. */
function unreachableBind(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^fe80:/i.test(address) || /^169\.254\./.test(address);
}

/**
 * TCP ports a destination listens on that another host might reach. Every
 * other bind counts: the inventory address may be a name, and a port bound to
 * some other address of the host simply comes back closed.
 */
function reachablePorts(dest: HostCollection): number[] {
  const ports = new Set<number>();
  for (const s of dest.facts?.listening ?? []) {
    if (s.protocol === 'tcp' && !unreachableBind(s.address)) ports.add(s.port);
  }
  return [...ports].sort((a, b) => a - b);
}

export async function collectHosts(hosts: readonly InventoryHost[], options: HostScanOptions): Promise<HostCollection[]> {
  const connect = options.connect ?? ((t, o) => connectHost(t, o));
  const results: HostCollection[] = hosts.map((host) => ({ host, warnings: [], durationMs: 0 }));
  const sessions = new Map<string, SshSession>();
  const wantFlows = options.forbiddenFlows.length > 0;
  let done = 0;
  options.onProgress?.(0, hosts.length);
  try {
    await pool(results, options.concurrency, async (r) => {
      const t0 = performance.now();
      let session: SshSession | undefined;
      try {
        session = await connect(sshTarget(r.host), { trustOnFirstUse: options.trustOnFirstUse, env: options.env });
        r.warnings.push(...session.warnings);
        const out = await session.run(buildProbeScript({ sudo: r.host.sudo }), { maxBytes: PROBE_MAX_BYTES });
        const probe = splitProbeOutput(out.stdout);
        if (!probe.started) {
          // Not our script's output at all: a ForceCommand, a login banner on stdout, or a hostile host.
          const limit = out.truncated ? `, and its output exceeded the limit of ${formatBytes(PROBE_MAX_BYTES)}` : '';
          throw new CollectError(
            r.host.name,
            `the host did not run palisade's probe: no probe header in its output${limit}. ` +
              'A ForceCommand or a login script may be answering instead; check the account\'s sshd settings and shell start-up files.',
          );
        }
        if (out.truncated && !probe.finished) {
          throw new CollectError(
            r.host.name,
            `the probe's output exceeded the limit of ${formatBytes(PROBE_MAX_BYTES)} and was cut; the host is not scanned (a runaway command or a hostile host)`,
          );
        }
        const facts = buildHostFacts(probe, {
          name: r.host.name,
          address: r.host.address,
          port: r.host.port,
          segment: r.host.segment,
          tags: r.host.tags,
        });
        if (options.advisories) {
          const matches = advisoriesFor(facts, options.advisories);
          if (matches) facts.advisories = matches;
          else facts.notCollected['advisories'] = { reason: 'unsupported-os', detail: `no advisory ecosystem for ${facts.os.id} ${facts.os.versionId}` };
        }
        // Detached from the probe output and shared across hosts: memory stays flat as the fleet grows.
        r.facts = detachStrings(facts);
        if (wantFlows) sessions.set(r.host.name, session);
        else session.close();
      } catch (error) {
        session?.close();
        r.error = message(error);
      } finally {
        r.durationMs = Math.round(performance.now() - t0);
        options.onProgress?.(++done, hosts.length, r.host.name, r.error);
      }
    });

    if (wantFlows) await probeFlows(results, sessions, options);
  } finally {
    for (const s of sessions.values()) s.close();
  }
  return results;
}

async function probeFlows(results: HostCollection[], sessions: Map<string, SshSession>, options: HostScanOptions): Promise<void> {
  const jobs: { from: HostCollection; to: HostCollection; port: number }[] = [];
  for (const from of results) {
    if (!from.facts || from.host.segment === undefined) continue;
    const forbidden = options.forbiddenFlows.filter((f) => f.from === from.host.segment || f.from === '*').map((f) => f.to);
    if (forbidden.length === 0) continue;
    from.facts.flows = [];
    for (const to of results) {
      if (to === from || to.host.segment === undefined) continue;
      if (!forbidden.includes(to.host.segment) && !forbidden.includes('*')) continue;
      // A destination whose listening ports are unknown cannot be judged: say so rather than report nothing.
      if (to.facts?.listening === undefined) {
        const why = to.error ?? 'its listening sockets were not collected';
        const probe: FlowProbe = { toHost: to.host.name, address: to.host.address, port: 0, result: 'error', detail: `destination not scanned: ${why}` };
        if (to.host.segment !== undefined) probe.toSegment = to.host.segment;
        from.facts.flows.push(probe);
        continue;
      }
      // Only inventory addresses are ever probed, and only ports the destination really listens on.
      for (const port of reachablePorts(to)) jobs.push({ from, to, port });
    }
  }
  await pool(jobs, options.concurrency, async ({ from, to, port }) => {
    const session = sessions.get(from.host.name);
    if (!session || !from.facts?.flows) return;
    const probe: FlowProbe = { toHost: to.host.name, address: to.host.address, port, result: 'error' };
    if (to.host.segment !== undefined) probe.toSegment = to.host.segment;
    try {
      const r = await session.probeTcp(to.host.address, port, options.flowTimeoutMs);
      probe.result = r.result;
      if (r.detail !== undefined) probe.detail = r.detail;
    } catch (error) {
      probe.detail = message(error);
    }
    from.facts.flows.push(probe);
  });
  for (const r of results) r.facts?.flows?.sort((a, b) => compareCodeUnits(a.toHost, b.toHost) || a.port - b.port);
}

/** The inventory line of a host, repository-relative when the inventory is inside the repository. */
export function hostLocation(repoRoot: string, host: InventoryHost): SourceLocation {
  const rel = path.relative(repoRoot, host.source.file);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).join('/'), startLine: Math.max(1, host.source.line), synthetic: false };
  }
  const name = host.name.replace(/[^A-Za-z0-9._-]+/g, '-') || '_';
  return { uri: `.palisade/hosts/${name}`, startLine: 1, synthetic: true };
}

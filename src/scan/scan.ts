// One scan: gather facts from every target concurrently (one failing target
// never aborts the others), evaluate the policy's checks, score each
// workload, and decide the gate.
import path from 'node:path';

import type { AdvisoryDatabase } from '../advisories/osv.js';
import {
  collectEngine,
  resolveEndpoints,
  type CollectOptions,
  type ContainerCollection,
  type EngineCollection,
} from '../checkers/docker/index.js';
import type { InventoryHost } from '../inventory/types.js';
import { RUNTIME_PACKAGE_NAMES } from '../lib/component-version.js';
import { compareCodeUnits } from '../lib/order.js';
import type { ContainerSubject, EngineHostPackages, EngineSubject, HostFacts } from '../model/facts.js';
import type { Finding, FindingStatus, RuleInfo, ScanResult, SourceLocation, TargetStatus, WaiverStatus, Workload } from '../model/report.js';
import { forbiddenFlows, type ResolvedPolicy } from '../policy/policy.js';
import { addEffectiveScores } from '../scoring/effective.js';
import { evaluateGate, scoreWorkload } from '../scoring/score.js';
import { evaluateWorkload, waiverStatuses, type WorkloadInput } from './evaluate.js';
import type { HostCollection, HostScanOptions } from './hosts.js';
import { locateFindings, sourceLocation } from './check.js';
import type { DriftLink, Linker } from './drift.js';
import { containerLocation, engineLocation } from './locations.js';
import { redactLabels } from './redact.js';

export interface DockerTarget {
  /** Display form, no credentials. */
  display: string;
  collect(options: CollectOptions): Promise<EngineCollection>;
  /** The inventory host this engine runs on (its parent workload). */
  host?: string;
}

/** Scan targets for Docker endpoints (`--docker` values, else DOCKER_HOST, else the local socket). */
export function createDockerTargets(values: readonly string[], env: NodeJS.ProcessEnv): DockerTarget[] {
  return resolveEndpoints(values, { env }).map((endpoint) => ({
    display: endpoint.display,
    collect: (options) => collectEngine(endpoint, options),
  }));
}

/** Docker engines listed in an inventory: under a host (`docker:`) or on their own (`engines:`). */
export function inventoryDockerTargets(
  hosts: readonly InventoryHost[],
  engines: readonly { name: string; endpoint: string }[],
  env: NodeJS.ProcessEnv,
): DockerTarget[] {
  const out: DockerTarget[] = [];
  for (const host of hosts) {
    if (host.docker === undefined) continue;
    // `ssh` means the Docker engine of the host itself, over the same SSH identity and known_hosts.
    const value = host.docker === 'ssh' ? `ssh://${host.user}@${host.address}:${host.port}` : host.docker;
    const [endpoint] = resolveEndpoints([value], {
      env,
      knownHostsFiles: host.knownHostsFiles,
      identityFile: host.identityFile,
    });
    if (endpoint) out.push({ display: endpoint.display, collect: (o) => collectEngine(endpoint, o), host: host.name });
  }
  for (const engine of engines) {
    for (const endpoint of resolveEndpoints([engine.endpoint], { env })) {
      out.push({ display: endpoint.display, collect: (o) => collectEngine(endpoint, o) });
    }
  }
  return out;
}

/** What a progress indicator hears during a scan. */
export interface ScanProgress {
  /** Once, before collection starts: every target (engine displays, then SSH host names). */
  start(targets: readonly string[]): void;
  /** After each container of an engine: done of total, and whether it failed. */
  containers(target: string, done: number, total: number, failed: boolean): void;
  /** A target finished: its workloads, and its error when it failed. */
  targetDone(target: string, workloads: number, error?: string): void;
}

export interface ScanOptions {
  targets: readonly DockerTarget[];
  policy: ResolvedPolicy;
  all: boolean;
  /** Gather process lists (for docker/no-sshd); skipped anyway when that check is off. */
  processes: boolean;
  concurrency: number;
  timeoutMs: number;
  now: Date;
  repoRoot: string;
  includePassed: boolean;
  version: string;
  onProgress?: (target: string, done: number, total: number) => void;
  /** Progress events for an indicator (src/cli/progress.ts). */
  progress?: ScanProgress;
  /** Inventory hosts (VMs) to scan over SSH. */
  hosts?: readonly InventoryHost[];
  trustOnFirstUse?: boolean;
  advisories?: AdvisoryDatabase;
  env?: NodeJS.ProcessEnv;
  /** For tests: replaces the SSH connection. */
  connect?: HostScanOptions['connect'];
  /** Gate: fail when a workload holds fewer layers. */
  minDepth?: number;
  /** Compose files (one project) to compare Compose-created containers with (drift); label-named files are used when they exist. */
  compose?: readonly string[];
  /** Folder `compose` paths are relative to; default the repository root. */
  cwd?: string;
}

/** A workload before evaluation: what the report says about it, and what the checks read. */
export interface Draft {
  workload: Omit<Workload, 'score' | 'depth' | 'layers'>;
  input: WorkloadInput;
}

/** `base`, or `base#2`, `base#3`... when taken. */
export function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}#${n}`;
  used.add(id);
  return id;
}

interface ParentHost {
  workloadId: string;
  name: string;
  segment?: string;
  tags: readonly string[];
}

/** The policy line of a waiver (`file:line`), repository-relative; undefined outside the repository. */
function waiverLocation(source: string, repoRoot: string): SourceLocation | undefined {
  const m = /^(.*):(\d+)$/.exec(source);
  if (!m?.[1] || !m[2]) return undefined;
  const rel = path.relative(repoRoot, path.resolve(repoRoot, m[1]));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return { uri: rel.split(path.sep).join('/'), startLine: Math.max(1, Number(m[2])), synthetic: false };
}

function locateWaivers(statuses: WaiverStatus[], findings: Finding[], repoRoot: string): WaiverStatus[] {
  for (const f of findings) {
    const location = f.waiver ? waiverLocation(f.waiver.source, repoRoot) : undefined;
    if (f.waiver && location) f.waiver.location = location;
  }
  return statuses.map((w) => {
    const location = waiverLocation(w.source, repoRoot);
    return location ? { ...w, location } : w;
  });
}

/** The host's package state for the packages that ship Docker's components. */
function runtimePackages(facts: HostFacts): EngineHostPackages {
  const relevant = (name: string) => RUNTIME_PACKAGE_NAMES.has(name);
  const out: EngineHostPackages = {
    host: facts.name,
    installed: (facts.packages ?? []).filter((p) => relevant(p.name)).map((p) => ({ name: p.name, version: p.version })),
  };
  // Pending updates whose security classification was not collected say nothing either way.
  if (facts.updates && facts.notCollected['updates.security'] === undefined) {
    out.pendingSecurity = facts.updates.pending.filter((u) => relevant(u.name));
  }
  if (facts.advisories) out.advisories = facts.advisories.filter((a) => relevant(a.packageName));
  return out;
}

function hostDraft(c: HostCollection, repoRoot: string, used: Set<string>, hostLocation: (typeof import('./hosts.js'))['hostLocation']): Draft {
  const id = uniqueId(`host:${c.host.name}`, used);
  const workload: Draft['workload'] = {
    id,
    kind: 'host',
    name: c.host.name,
    labels: {},
    identity: `host:${c.host.name}`,
    location: hostLocation(repoRoot, c.host),
  };
  if (c.error !== undefined) workload.error = c.error;
  if (c.warnings.length > 0) workload.warnings = [...c.warnings];
  const attributes = { kind: 'host' as const, name: c.host.name, tags: c.host.tags, segment: c.host.segment, host: c.host.name };
  return {
    workload,
    input: {
      workloadId: id,
      identity: `host:${c.host.name}`,
      name: c.host.name,
      attributes,
      target: 'host',
      subject: c.facts ? { host: c.facts } : undefined,
      error: c.error,
    },
  };
}

/** Drift links of a scan: the linker, and the link of each linked container workload. */
interface DriftState {
  linker: Linker;
  links: Map<string, DriftLink>;
}

function engineDrafts(collection: EngineCollection, repoRoot: string, used: Set<string>, parent?: ParentHost, drift?: DriftState): Draft[] {
  const { engine } = collection;
  const engineId = uniqueId(`engine:${engine.name}`, used);
  const drafts: Draft[] = [];
  const engineSubject: EngineSubject = { engine };
  drafts.push({
    workload: {
      id: engineId,
      kind: 'engine',
      name: engine.name,
      labels: {},
      parent: parent?.workloadId,
      identity: `docker-engine:${engine.name}`,
      location: engineLocation(engine.name),
    },
    input: {
      workloadId: engineId,
      identity: `docker-engine:${engine.name}`,
      name: engine.name,
      attributes: { kind: 'engine', name: engine.name, engine: engine.name, host: parent?.name, segment: parent?.segment, tags: parent?.tags },
      target: 'engine',
      subject: engineSubject,
    },
  });
  const sorted = [...collection.containers].sort((a, b) => compareCodeUnits(a.name, b.name));
  for (const c of sorted) {
    const id = uniqueId(`container:${engine.name}/${c.name}`, used);
    const compose = c.facts?.compose;
    const identity = compose
      ? `docker:${engine.name}/compose/${compose.project}/${compose.service}/${compose.containerNumber ?? '1'}`
      : `docker:${engine.name}/${c.name}`;
    const workload: Draft['workload'] = {
      id,
      kind: 'container',
      name: c.name,
      labels: redactLabels(c.facts?.labels ?? {}),
      parent: engineId,
      identity,
      location: containerLocation(repoRoot, engine.name, { name: c.name, compose }),
    };
    if (c.facts) workload.image = c.facts.imageRef;
    if (c.error !== undefined) workload.error = c.error;
    if (c.warnings !== undefined && c.warnings.length > 0) workload.warnings = c.warnings;
    const subject: ContainerSubject | undefined = c.facts ? { container: c.facts, image: c.image, engine } : undefined;
    const linked = c.facts && drift ? drift.linker.link(c.facts, engine) : {};
    if (linked.warning !== undefined) workload.warnings = [...(workload.warnings ?? []), linked.warning];
    if (subject && linked.link) {
      subject.spec = linked.link.spec;
      drift?.links.set(id, linked.link);
      workload.location = sourceLocation(repoRoot, linked.link.project.locate(`services.${linked.link.service.name}`), workload.location.uri);
    }
    drafts.push({
      workload,
      input: {
        workloadId: id,
        identity,
        name: c.name,
        attributes: {
          kind: 'container',
          name: c.name,
          labels: c.facts?.labels ?? {},
          engine: engine.name,
          host: parent?.name,
          segment: parent?.segment,
          tags: parent?.tags,
        },
        target: 'container',
        subject,
        error: c.error,
      },
    });
  }
  return drafts;
}

function failedTargetDraft(display: string, error: string, used: Set<string>, parent?: ParentHost): Draft {
  const id = uniqueId(`engine:${display}`, used);
  return {
    workload: {
      id,
      kind: 'engine',
      name: display,
      labels: {},
      parent: parent?.workloadId,
      identity: `docker-engine:${display}`,
      location: engineLocation(display),
      error,
    },
    input: { workloadId: id, identity: `docker-engine:${display}`, name: display, target: 'engine', error },
  };
}

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const startedAt = new Date();
  const { policy } = options;
  const sshdCheck = policy.checks.find((c) => c.check.id === 'docker/no-sshd');
  const processes = options.processes && sshdCheck?.enabled === true;

  // An invalid --compose file is an input error: found before any target is contacted.
  const early = options.compose !== undefined && options.compose.length > 0 ? await loadLinker(options) : undefined;
  const hosts = options.hosts ?? [];
  const { progress } = options;
  progress?.start([...options.targets.map((t) => t.display), ...hosts.map((h) => h.name)]);
  // The SSH stack (ssh2, the probe and its parsers) is loaded only when there are hosts to scan.
  const hostsModule = hosts.length > 0 ? await import('./hosts.js') : undefined;
  const hostsPromise: Promise<HostCollection[]> = hostsModule
    ? hostsModule.collectHosts(hosts, {
        concurrency: options.concurrency,
        trustOnFirstUse: options.trustOnFirstUse === true,
        forbiddenFlows: forbiddenFlows(policy),
        advisories: options.advisories,
        flowTimeoutMs: 3000,
        env: options.env,
        connect: options.connect,
        onProgress: (done, total, host, error) => {
          options.onProgress?.('hosts', done, total);
          if (host !== undefined) progress?.targetDone(host, error === undefined ? 1 : 0, error);
        },
      })
    : Promise.resolve([]);
  const settled = await Promise.all(
    options.targets.map(async (target) => {
      const t0 = performance.now();
      try {
        const collection = await target.collect({
          all: options.all,
          processes,
          concurrency: options.concurrency,
          timeoutMs: options.timeoutMs,
          onProgress: (done, total, failed) => {
            options.onProgress?.(target.display, done, total);
            progress?.containers(target.display, done, total, failed === true);
          },
        });
        progress?.targetDone(target.display, collection.containers.length + 1);
        return { target, collection, ms: performance.now() - t0 };
      } catch (cause) {
        const error = cause instanceof Error ? cause.message : String(cause);
        progress?.targetDone(target.display, 0, error);
        return { target, error, ms: performance.now() - t0 };
      }
    }),
  );

  const hostResults = await hostsPromise;
  const drift = await driftState(options, settled.flatMap((s) => ('collection' in s && s.collection ? s.collection.containers : [])), early);

  const used = new Set<string>();
  const targets: TargetStatus[] = [];
  const drafts: Draft[] = [];
  const parents = new Map<string, ParentHost>();
  for (const h of hostResults) {
    const draft = hostDraft(h, options.repoRoot, used, (hostsModule as typeof import('./hosts.js')).hostLocation);
    drafts.push(draft);
    parents.set(h.host.name, { workloadId: draft.workload.id, name: h.host.name, segment: h.host.segment, tags: h.host.tags });
    const target = `ssh://${h.host.user}@${h.host.address}:${h.host.port}`;
    if (h.error === undefined) targets.push({ target, kind: 'ssh', status: 'ok', workloads: 1, durationMs: h.durationMs });
    else targets.push({ target, kind: 'ssh', status: 'error', error: h.error, workloads: 0, durationMs: h.durationMs });
  }
  const hostFacts = new Map(hostResults.filter((h) => h.facts).map((h) => [h.host.name, h.facts as HostFacts]));
  for (const s of settled) {
    const parent = s.target.host !== undefined ? parents.get(s.target.host) : undefined;
    if ('collection' in s && s.collection && s.target.host !== undefined) {
      const facts = hostFacts.get(s.target.host);
      if (facts) s.collection.engine.hostPackages = runtimePackages(facts);
    }
    if ('collection' in s && s.collection) {
      const mine = engineDrafts(s.collection, options.repoRoot, used, parent, drift);
      drafts.push(...mine);
      targets.push({ target: s.target.display, kind: 'docker', status: 'ok', workloads: mine.length, durationMs: Math.round(s.ms) });
    } else {
      const error = 'error' in s && s.error !== undefined ? s.error : 'unknown error';
      drafts.push(failedTargetDraft(s.target.display, error, used, parent));
      targets.push({ target: s.target.display, kind: 'docker', status: 'error', error, workloads: 0, durationMs: Math.round(s.ms) });
    }
  }

  return finishScan(drafts, targets, startedAt, {
    ...options,
    locate: (draft, findings) => {
      const link = drift?.links.get(draft.workload.id);
      if (link) locateFindings(link.project, link.service, findings, options.repoRoot);
    },
  });
}

/** The drift linker (src/scan/drift.ts), loaded with the Compose resolver only when a scan needs them. */
async function loadLinker(options: ScanOptions): Promise<Linker> {
  const [{ createLinker }, { resolveCompose }] = await Promise.all([import('./drift.js'), import('../checkers/compose/resolve.js')]);
  return createLinker({
    composeFiles: options.compose,
    cwd: options.cwd ?? options.repoRoot,
    env: options.env ?? process.env,
    repoRoot: options.repoRoot,
    resolve: resolveCompose,
  });
}

async function driftState(options: ScanOptions, containers: readonly ContainerCollection[], early: Linker | undefined): Promise<DriftState | undefined> {
  if (early !== undefined) return { linker: early, links: new Map() };
  if (!containers.some((c) => c.facts?.compose !== undefined)) return undefined;
  return { linker: await loadLinker(options), links: new Map() };
}

/** What `finishScan` needs besides the drafts: the scan's policy, clock and report options. */
export interface FinishOptions {
  policy: ResolvedPolicy;
  now: Date;
  repoRoot: string;
  includePassed: boolean;
  version: string;
  minDepth?: number;
  /** Sets `Finding.location` on a workload's findings (the declaring Compose key). */
  locate?: (draft: Draft, findings: Finding[]) => void;
}

/**
 * Evaluates, scores and gates gathered workloads into a report: the one path
 * `scan` (engines, hosts) and `check` (declared Compose services) share, so
 * both get the same checks, policy, scores, waivers and gate.
 */
export function finishScan(drafts: readonly Draft[], targets: TargetStatus[], startedAt: Date, options: FinishOptions): ScanResult {
  const { policy } = options;
  const findings: Finding[] = [];
  const workloads: Workload[] = [];
  for (const d of drafts) {
    const mine = evaluateWorkload(d.input, policy, options.now);
    options.locate?.(d, mine);
    findings.push(...mine);
    workloads.push({ ...d.workload, ...scoreWorkload(mine, policy) });
  }

  addEffectiveScores(workloads, policy.layerWeights);

  const summary: Record<FindingStatus, number> = { pass: 0, fail: 0, waived: 0, 'not-applicable': 0, error: 0 };
  for (const f of findings) summary[f.status]++;
  const rules: RuleInfo[] = policy.checks.filter((c) => c.enabled).map((c) => ({ id: c.check.id, meta: c.check.meta }));

  return {
    tool: { name: 'palisade', version: options.version },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    policy: { name: policy.name, source: policy.source },
    targets,
    workloads,
    findings,
    summary,
    gate: evaluateGate(workloads, findings, { ...policy.gate, minDepth: options.minDepth ?? null }),
    incomplete: targets.some((t) => t.status === 'error') || workloads.some((w) => w.error !== undefined),
    rules,
    waivers: locateWaivers(waiverStatuses(policy, findings, options.now), findings, options.repoRoot),
    options: { includePassed: options.includePassed },
  };
}

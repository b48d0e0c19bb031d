// One scan: gather facts from every target concurrently (one failing target
// never aborts the others), evaluate the policy's checks, score each
// workload, and decide the gate.
import { collectEngine, resolveEndpoints, type CollectOptions, type EngineCollection } from '../checkers/docker/index.js';
import type { ContainerSubject, EngineSubject } from '../model/facts.js';
import type { Finding, FindingStatus, RuleInfo, ScanResult, TargetStatus, Workload } from '../model/report.js';
import type { ResolvedPolicy } from '../policy/policy.js';
import { addEffectiveScores } from '../scoring/effective.js';
import { evaluateGate, scoreWorkload } from '../scoring/score.js';
import { evaluateWorkload, waiverStatuses, type WorkloadInput } from './evaluate.js';
import { containerLocation, engineLocation } from './locations.js';
import { redactLabels } from './redact.js';

export interface DockerTarget {
  /** Display form, no credentials. */
  display: string;
  collect(options: CollectOptions): Promise<EngineCollection>;
}

/** Scan targets for Docker endpoints (`--docker` values, else DOCKER_HOST, else the local socket). */
export function createDockerTargets(values: readonly string[], env: NodeJS.ProcessEnv): DockerTarget[] {
  return resolveEndpoints(values, { env }).map((endpoint) => ({
    display: endpoint.display,
    collect: (options) => collectEngine(endpoint, options),
  }));
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
}

interface Draft {
  workload: Omit<Workload, 'score' | 'depth' | 'layers'>;
  input: WorkloadInput;
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}#${n}`;
  used.add(id);
  return id;
}

function engineDrafts(collection: EngineCollection, repoRoot: string, used: Set<string>): Draft[] {
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
      identity: `docker-engine:${engine.name}`,
      location: engineLocation(engine.name),
    },
    input: {
      workloadId: engineId,
      identity: `docker-engine:${engine.name}`,
      name: engine.name,
      attributes: { kind: 'engine', name: engine.name, engine: engine.name },
      target: 'engine',
      subject: engineSubject,
    },
  });
  const sorted = [...collection.containers].sort((a, b) => a.name.localeCompare(b.name));
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
    drafts.push({
      workload,
      input: {
        workloadId: id,
        identity,
        name: c.name,
        attributes: { kind: 'container', name: c.name, labels: c.facts?.labels ?? {}, engine: engine.name },
        target: 'container',
        subject,
        error: c.error,
      },
    });
  }
  return drafts;
}

function failedTargetDraft(display: string, error: string, used: Set<string>): Draft {
  const id = uniqueId(`engine:${display}`, used);
  return {
    workload: {
      id,
      kind: 'engine',
      name: display,
      labels: {},
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

  const settled = await Promise.all(
    options.targets.map(async (target) => {
      const t0 = performance.now();
      try {
        const collection = await target.collect({
          all: options.all,
          processes,
          concurrency: options.concurrency,
          timeoutMs: options.timeoutMs,
          onProgress: (done, total) => options.onProgress?.(target.display, done, total),
        });
        return { target, collection, ms: performance.now() - t0 };
      } catch (cause) {
        return { target, error: cause instanceof Error ? cause.message : String(cause), ms: performance.now() - t0 };
      }
    }),
  );

  const used = new Set<string>();
  const targets: TargetStatus[] = [];
  const drafts: Draft[] = [];
  for (const s of settled) {
    if ('collection' in s && s.collection) {
      const mine = engineDrafts(s.collection, options.repoRoot, used);
      drafts.push(...mine);
      targets.push({ target: s.target.display, kind: 'docker', status: 'ok', workloads: mine.length, durationMs: Math.round(s.ms) });
    } else {
      const error = 'error' in s && s.error !== undefined ? s.error : 'unknown error';
      drafts.push(failedTargetDraft(s.target.display, error, used));
      targets.push({ target: s.target.display, kind: 'docker', status: 'error', error, workloads: 0, durationMs: Math.round(s.ms) });
    }
  }

  const findings: Finding[] = [];
  const workloads: Workload[] = [];
  for (const d of drafts) {
    const mine = evaluateWorkload(d.input, policy, options.now);
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
    gate: evaluateGate(workloads, findings, policy.gate),
    incomplete: targets.some((t) => t.status === 'error') || workloads.some((w) => w.error !== undefined),
    rules,
    waivers: waiverStatuses(policy, findings, options.now),
    options: { includePassed: options.includePassed },
  };
}

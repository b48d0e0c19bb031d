// `palisade check`: judge what is about to be deployed. Each Compose project
// is resolved the way `docker compose config` resolves it, each service
// becomes the container facts the Docker checker would read once it runs,
// and the same checks, policy, scores, waivers and gate as `scan` decide
// (finishScan). Every finding is located at the key that caused it.
import path from 'node:path';

import { declaredContainer, declaredEngine } from '../checkers/compose/declared.js';
import type { ResolvedProject, ResolvedService, ResolveOptions, SourcePosition } from '../checkers/compose/types.js';
import { PolicyError, UsageError } from '../errors.js';
import type { ContainerSubject, EngineFacts, ImageFacts } from '../model/facts.js';
import type { Finding, ScanResult, SourceLocation, TargetStatus } from '../model/report.js';
import { composePathFor } from './compose-locations.js';
import { redactLabels } from './redact.js';
import { finishScan, uniqueId, type Draft, type FinishOptions } from './scan.js';

/** One Compose project to check: its -f files in order (none: Compose's default files in cwd). */
export interface ProjectSource {
  files?: string[];
}

export interface ImageLookup {
  /** Image configs found, by the reference services give. */
  images: Map<string, ImageFacts>;
  /** The engine read with `--docker`; undefined means the declared stand-in engine. */
  engine?: EngineFacts;
  warnings: string[];
  /** The engine read (or that could not be read) with `--docker`. */
  targets?: TargetStatus[];
}

/** How to resolve each project (the resolver's options but its files) and how to finish the report (as `scan` does). */
export interface CheckOptions extends Omit<ResolveOptions, 'files'>, Omit<FinishOptions, 'locate'> {
  sources: readonly ProjectSource[];
  /** The Compose resolver (injected so the CLI loads it lazily). */
  resolve: (options: ResolveOptions) => ResolvedProject;
  /** Image configs (archives, engine) for the references the services use. */
  images?: (references: string[]) => Promise<ImageLookup>;
}

/** A Compose project that could not be resolved: its error names file:line:field. */
export interface InvalidSource {
  target: string;
  error: PolicyError | UsageError;
}

export interface CheckOutcome {
  result: ScanResult;
  invalid: InvalidSource[];
  /** Things the user should know that did not stop the check (images not found...). */
  warnings: string[];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Repository-relative when inside the repository; else a stable synthetic path for the service. */
export function sourceLocation(repoRoot: string, position: SourcePosition | undefined, fallback: string): SourceLocation {
  if (position !== undefined) {
    const rel = path.relative(repoRoot, position.file);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: toPosix(rel), startLine: Math.max(1, position.line), synthetic: false };
  }
  return { uri: fallback, startLine: Math.max(1, position?.line ?? 1), synthetic: true };
}

function displayTarget(cwd: string, source: ProjectSource): string {
  if (source.files === undefined || source.files.length === 0) return 'compose (default files)';
  return source.files.map((f) => toPosix(path.relative(cwd, path.resolve(cwd, f)) || f)).join(',');
}

function segment(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-') || '_';
}

interface Declared {
  project: ResolvedProject;
  service: ResolvedService;
}

/** Sets each finding's location to the line of the Compose key it is about (the service line when none is). */
export function locateFindings(project: ResolvedProject, service: ResolvedService, findings: Finding[], repoRoot: string): void {
  const fallback = `.palisade/compose/${segment(project.name)}/${segment(service.name)}`;
  // Most findings (passes, not-applicable) point at the service itself: one lookup per key, not per finding.
  const byPath = new Map<string, SourceLocation>();
  const at = (dotted: string): SourceLocation => {
    let location = byPath.get(dotted);
    if (location === undefined) {
      location = sourceLocation(repoRoot, project.locate(dotted), fallback);
      byPath.set(dotted, location);
    }
    return location;
  };
  const serviceLine = `services.${service.name}`;
  // Shared, never mutated: findings of one service reuse its few locations.
  for (const f of findings) f.location = f.evidence === undefined ? at(serviceLine) : at(composePathFor(service, f));
}

export async function checkDeclared(options: CheckOptions): Promise<CheckOutcome> {
  const startedAt = new Date();
  const invalid: InvalidSource[] = [];
  const targets: TargetStatus[] = [];
  const projects: { project: ResolvedProject; target: TargetStatus }[] = [];
  for (const source of options.sources) {
    const target = displayTarget(options.cwd, source);
    const t0 = performance.now();
    try {
      const resolveOptions: ResolveOptions = { cwd: options.cwd, env: options.env };
      if (source.files !== undefined && source.files.length > 0) resolveOptions.files = source.files;
      if (options.envFiles !== undefined && options.envFiles.length > 0) resolveOptions.envFiles = options.envFiles;
      if (options.profiles !== undefined && options.profiles.length > 0) resolveOptions.profiles = options.profiles;
      if (options.projectName !== undefined) resolveOptions.projectName = options.projectName;
      if (options.projectDirectory !== undefined) resolveOptions.projectDirectory = options.projectDirectory;
      const project = options.resolve(resolveOptions);
      // The files Compose found (default discovery, COMPOSE_FILE), as the user would name them.
      const resolvedTarget = project.files.map((f) => toPosix(path.relative(options.cwd, f) || f)).join(',') || target;
      const status: TargetStatus = { target: resolvedTarget, kind: 'compose', status: 'ok', workloads: project.services.length, durationMs: Math.round(performance.now() - t0) };
      targets.push(status);
      projects.push({ project, target: status });
    } catch (error) {
      // One bad project never hides the others: it is an error target, and exit 2.
      if (!(error instanceof PolicyError || error instanceof UsageError)) throw error;
      invalid.push({ target, error });
      targets.push({ target, kind: 'compose', status: 'error', error: error.message, workloads: 0, durationMs: Math.round(performance.now() - t0) });
    }
  }

  const references = [...new Set(projects.flatMap(({ project }) => project.services.map((s) => s.image).filter((i): i is string => i !== undefined && i !== '')))];
  const lookup: ImageLookup = options.images ? await options.images(references) : { images: new Map(), warnings: [] };
  const engine = lookup.engine ?? declaredEngine();
  const warnings = [...lookup.warnings];
  targets.push(...(lookup.targets ?? []));

  const used = new Set<string>();
  const drafts: Draft[] = [];
  const declared = new Map<string, Declared>();
  for (const { project } of projects) {
    for (const service of project.services) {
      const image = service.image !== undefined ? lookup.images.get(service.image) : undefined;
      const servicePosition = project.locate(`services.${service.name}`);
      const location = sourceLocation(options.repoRoot, servicePosition, `.palisade/compose/${segment(project.name)}/${segment(service.name)}`);
      const container = declaredContainer(project, service, { engine, imageId: image?.id, file: location.uri });
      const identity = `compose:${project.name}/${service.name}`;
      const id = uniqueId(identity, used);
      const workload: Draft['workload'] = {
        id,
        kind: 'container',
        name: container.name,
        labels: redactLabels(container.labels),
        identity,
        location,
      };
      if (container.imageRef !== '') workload.image = container.imageRef;
      if (service.image !== undefined && image === undefined && options.images !== undefined) {
        workload.warnings = [`the config of image ${service.image} was not found (in --image-archive or on the --docker engine); checks that read it are not evaluated`];
      }
      const subject: ContainerSubject = { container, engine };
      if (image !== undefined) subject.image = image;
      drafts.push({
        workload,
        input: {
          workloadId: id,
          identity,
          name: container.name,
          attributes: { kind: 'container', name: container.name, labels: container.labels, engine: lookup.engine?.name },
          target: 'container',
          subject,
        },
      });
      declared.set(id, { project, service });
    }
  }

  const result = finishScan(drafts, targets, startedAt, {
    policy: options.policy,
    now: options.now,
    repoRoot: options.repoRoot,
    includePassed: options.includePassed,
    version: options.version,
    minDepth: options.minDepth,
    locate: (draft, findings) => {
      const d = declared.get(draft.workload.id);
      if (d) locateFindings(d.project, d.service, findings, options.repoRoot);
    },
  });
  return { result, invalid, warnings };
}

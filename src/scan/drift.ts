// Drift: link a running container to the Compose service it was created from
// (through the labels Compose sets) and build that service's declared facts,
// so docker/matches-declared-spec can compare the two and every finding on
// the container lands on the Compose line that declares it. The Compose files
// are the ones given with `scan --compose`, or those the labels name when they
// exist on this machine (a deploy host, or CI with the same checkout path).
import { existsSync } from 'node:fs';
import path from 'node:path';

import { declaredContainer } from '../checkers/compose/declared.js';
import type { ResolvedProject, ResolvedService, ResolveOptions } from '../checkers/compose/types.js';
import { PolicyError, UsageError } from '../errors.js';
import type { ContainerFacts, EngineFacts } from '../model/facts.js';
import { sourceLocation } from './check.js';

export interface DriftLink {
  project: ResolvedProject;
  service: ResolvedService;
  /** The service as the container it should be (declared facts on the container's engine). */
  spec: ContainerFacts;
}

export type Resolve = (options: ResolveOptions) => ResolvedProject;

export interface LinkerOptions {
  /** `scan --compose` files: one project, merged in order. */
  composeFiles?: readonly string[];
  cwd: string;
  env: Record<string, string | undefined>;
  repoRoot: string;
  resolve: Resolve;
}

export interface Linker {
  /** The declared service of a Compose-created container, or why it could not be read; nothing for other containers. */
  link(container: ContainerFacts, engine: EngineFacts): { link?: DriftLink; warning?: string };
}

function resolvedOrError(resolve: Resolve, options: ResolveOptions): ResolvedProject | Error {
  try {
    return resolve(options);
  } catch (error) {
    if (error instanceof PolicyError || error instanceof UsageError) return error;
    throw error;
  }
}

/**
 * Resolves `--compose` files up front (an invalid file is an input error,
 * exit 2, before anything is scanned) and label-named files on demand, once
 * per project.
 */
export function createLinker(options: LinkerOptions): Linker {
  const given =
    options.composeFiles !== undefined && options.composeFiles.length > 0
      ? options.resolve({ files: [...options.composeFiles], cwd: options.cwd, env: options.env })
      : undefined;
  const cache = new Map<string, ResolvedProject | Error>();

  function fromLabels(container: ContainerFacts): ResolvedProject | Error | undefined {
    const origin = container.compose;
    if (origin === undefined || origin.configFiles.length === 0) return undefined;
    const base = origin.workingDir ?? options.cwd;
    const files = origin.configFiles.map((f) => path.resolve(base, f));
    if (!files.every((f) => existsSync(f))) return undefined;
    const key = `${origin.project}\0${files.join('\0')}`;
    let project = cache.get(key);
    if (project === undefined) {
      const resolveOptions: ResolveOptions = { files, cwd: base, env: options.env, projectName: origin.project };
      if (origin.workingDir !== undefined && existsSync(origin.workingDir)) resolveOptions.projectDirectory = origin.workingDir;
      project = resolvedOrError(options.resolve, resolveOptions);
      cache.set(key, project);
    }
    return project;
  }

  return {
    link(container, engine) {
      const origin = container.compose;
      if (origin === undefined) return {};
      const project = given !== undefined && given.name === origin.project ? given : fromLabels(container);
      if (project === undefined) return {};
      if (project instanceof Error) return { warning: `declared spec not read: ${project.message}` };
      const service = project.allServices.find((s) => s.name === origin.service);
      if (service === undefined) {
        return { warning: `declared spec not read: service ${origin.service} is not declared in ${project.files.join(', ')}` };
      }
      const position = project.locate(`services.${service.name}`);
      const file = sourceLocation(options.repoRoot, position, position?.file ?? project.files[0] ?? '').uri;
      return { link: { project, service, spec: declaredContainer(project, service, { engine, file }) } };
    },
  };
}

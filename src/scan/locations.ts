// Where a workload is declared, as a repository-relative path and line: the
// Compose service that started a container when its file is in the
// repository, otherwise a stable synthetic path (no scheme, no colon).
import { existsSync } from 'node:fs';
import path from 'node:path';

import { readInputFile } from '../lib/input-file.js';
import { LIMITS } from '../lib/limits.js';
import type { ComposeOrigin } from '../model/facts.js';
import type { SourceLocation } from '../model/report.js';
import { locateLine } from '../policy/yaml-locate.js';

function segment(text: string): string {
  const s = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return s === '' || s === '.' || s === '..' ? '_' : s;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function insideRoot(root: string, file: string): string | undefined {
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel;
}

/**
 * Candidate repository files for a compose config file: the file itself when
 * it lies inside the repository, or the same path relative to the project's
 * working directory (the repository checked out elsewhere on the deploy host).
 */
function composeCandidates(root: string, origin: ComposeOrigin, configFile: string): string[] {
  const out: string[] = [];
  const direct = insideRoot(root, path.resolve(origin.workingDir ?? root, configFile));
  if (direct) out.push(direct);
  if (origin.workingDir && path.isAbsolute(configFile)) {
    const relToProject = path.relative(origin.workingDir, configFile);
    if (!relToProject.startsWith('..')) out.push(relToProject);
  }
  if (!path.isAbsolute(configFile)) out.push(configFile);
  return [...new Set(out)];
}

export function composeLocation(root: string, origin: ComposeOrigin): SourceLocation | undefined {
  for (const configFile of origin.configFiles) {
    for (const rel of composeCandidates(root, origin, configFile)) {
      const abs = path.join(root, rel);
      if (!existsSync(abs)) continue;
      let text: string;
      try {
        // The file name comes from a container label: bounded, and never a FIFO or device.
        text = readInputFile(abs, LIMITS.policyFileBytes, 'Compose');
      } catch {
        continue;
      }
      const pointer = `/services/${origin.service.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const line = locateLine(text, pointer);
      // A file that does not declare the service is not the one that started it.
      if (line === 1 && !/^services\s*:/.test(text)) continue;
      return { uri: toPosix(rel), startLine: line, synthetic: false };
    }
  }
  return undefined;
}

export function engineLocation(engineName: string): SourceLocation {
  return { uri: `.palisade/docker/${segment(engineName)}/engine`, startLine: 1, synthetic: true };
}

export function containerLocation(
  root: string,
  engineName: string,
  container: { name: string; compose?: ComposeOrigin },
): SourceLocation {
  if (container.compose) {
    const found = composeLocation(root, container.compose);
    if (found) return found;
    return {
      uri: `.palisade/docker/${segment(engineName)}/compose/${segment(container.compose.project)}/${segment(container.compose.service)}`,
      startLine: 1,
      synthetic: true,
    };
  }
  return { uri: `.palisade/docker/${segment(engineName)}/containers/${segment(container.name)}`, startLine: 1, synthetic: true };
}

// Workload selectors of policy rules and waivers: every given field must
// match; strings are globs; a list matches when any entry does.
import picomatch from 'picomatch';

import type { WorkloadKind } from '../model/report.js';

export interface Selector {
  kind?: WorkloadKind | WorkloadKind[];
  name?: string | string[];
  labels?: Record<string, string>;
  tags?: string[];
  segment?: string | string[];
  engine?: string | string[];
  host?: string | string[];
}

/** What selectors can see of a workload. */
export interface WorkloadAttributes {
  kind: WorkloadKind;
  name: string;
  labels?: Record<string, string>;
  tags?: readonly string[];
  segment?: string;
  /** Engine a container runs on, or the engine itself. */
  engine?: string;
  /** Inventory host the workload is or runs on. */
  host?: string;
}

const matchers = new Map<string, (s: string) => boolean>();

/**
 * A policy glob as picomatch should see it: `*`, `?`, `[...]` and `{a,b}`
 * keep their meaning; characters picomatch would pass through into the
 * regular expression (groups, `|`, `+`) or read as extglobs and negation
 * (`@(`, `!(`) are escaped. A glob from a pull request such as `(a+)+b`
 * would otherwise be a catastrophic regular expression run against label
 * values a target chose.
 */
export function literalGlob(pattern: string): string {
  return pattern.replace(/[()|+@!]/g, '\\$&');
}

function glob(pattern: string): (s: string) => boolean {
  let m = matchers.get(pattern);
  if (!m) {
    m = picomatch(literalGlob(pattern), { dot: true, noextglob: true });
    matchers.set(pattern, m);
  }
  return m;
}

function anyGlob(patterns: string | string[], value: string | undefined): boolean {
  if (value === undefined) return false;
  return (Array.isArray(patterns) ? patterns : [patterns]).some((p) => glob(p)(value));
}

export function matchesSelector(selector: Selector | undefined, w: WorkloadAttributes): boolean {
  if (!selector) return true;
  if (selector.kind !== undefined && !(Array.isArray(selector.kind) ? selector.kind : [selector.kind]).includes(w.kind)) return false;
  if (selector.name !== undefined && !anyGlob(selector.name, w.name)) return false;
  if (selector.segment !== undefined && !anyGlob(selector.segment, w.segment)) return false;
  if (selector.engine !== undefined && !anyGlob(selector.engine, w.engine)) return false;
  if (selector.host !== undefined && !anyGlob(selector.host, w.host)) return false;
  if (selector.tags !== undefined && !selector.tags.every((t) => w.tags?.includes(t))) return false;
  if (selector.labels !== undefined) {
    for (const [key, pattern] of Object.entries(selector.labels)) {
      const value = w.labels?.[key];
      if (value === undefined || !glob(pattern)(value)) return false;
    }
  }
  return true;
}

/** How specific a selector is: one per constrained field, one per label and tag. */
export function specificity(selector: Selector | undefined): number {
  if (!selector) return 0;
  let n = 0;
  for (const field of ['kind', 'name', 'segment', 'engine', 'host'] as const) if (selector[field] !== undefined) n++;
  n += Object.keys(selector.labels ?? {}).length;
  n += selector.tags?.length ?? 0;
  return n;
}

export function describeSelector(selector: Selector | undefined): string {
  if (!selector || Object.keys(selector).length === 0) return 'all workloads';
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

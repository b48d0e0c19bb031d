// Detaching and sharing the strings of collected facts. Parsers slice their
// values out of a host's whole probe output (80 KB and more), and in V8 a
// slice keeps that whole output alive; across a fleet the same package names
// and versions repeat on every host. detachStrings() replaces every string in
// a facts tree with one shared copy that refers to nothing else: at 1,000
// simulated Debian hosts this halves the scan's peak memory (docs/benchmarks.md).

/** Shared copies, bounded: past this many distinct strings, strings are still copied but no longer shared. */
const MAX_SHARED = 200_000;
const shared = new Map<string, string>();

/** A copy of `s` that does not refer to the string it was sliced from. */
function detached(s: string): string {
  // Short slices are already copies in V8; longer ones are re-encoded into a fresh string.
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

/** One shared, detached copy per distinct string. */
export function intern(s: string): string {
  const known = shared.get(s);
  if (known !== undefined) return known;
  const copy = detached(s);
  if (shared.size < MAX_SHARED) shared.set(copy, copy);
  return copy;
}

/**
 * Replaces, in place, every string of a tree of plain objects and arrays
 * with its interned copy, and returns the tree.
 */
export function detachStrings<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return intern(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      return v;
    }
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) o[k] = walk(o[k]);
    }
    return v;
  };
  return walk(value) as T;
}

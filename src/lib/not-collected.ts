// The reason a host check gives when a fact it needs was not collected: a
// missing fact must never pass, and the report says why it is missing.
import type { HostFacts } from '../model/facts.js';

/**
 * `not evaluated (needs root): ...` or `not evaluated: ...`, from the first of
 * `keys` recorded in `host.notCollected`. `rootOnly` facts gathered without
 * root or working sudo say so even when the collector left no reason.
 */
export function notEvaluated(host: HostFacts, keys: readonly string[], fact: string, rootOnly = false): string {
  const why = keys.map((key) => host.notCollected[key]).find((entry) => entry !== undefined);
  if (why === undefined) {
    if (rootOnly && !host.privilege.root && host.privilege.sudo !== 'ok') {
      return `not evaluated (needs root): palisade had neither root nor working sudo to read ${fact}`;
    }
    return `not evaluated: ${fact} not collected`;
  }
  return why.reason === 'needs-root' ? `not evaluated (needs root): ${why.detail}` : `not evaluated: ${why.detail}`;
}

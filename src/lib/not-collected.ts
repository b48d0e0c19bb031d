// The reason a check gives when a fact it needs was not collected: a missing
// fact must never pass, and the report says why it is missing. Hosts record
// what their probes could not read; declared containers (Compose services)
// have no running facts and may have no image config at all.
import type { ContainerSubject, HostFacts } from '../model/facts.js';

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

/** Prefix of every reason given for a declared container's fact that only a run (or the real engine) decides. */
export const DECLARED_SPEC = 'not evaluated (declared spec)';

/** `not evaluated (declared spec): <fact> is known only once the container runs; ...`. */
export function declaredSpecReason(fact: string, knownFrom = 'once the container runs'): string {
  return `${DECLARED_SPEC}: ${fact}: known only ${knownFrom}, and nothing in the spec fails the check`;
}

/**
 * Why a check that reads the image config cannot run: a scanned container
 * whose image was removed, or a declared one whose image was not found in
 * `--image-archive` or on the engine given with `--docker`.
 */
export function imageMissing(subject: ContainerSubject): string {
  if (subject.container.declared) {
    return `${DECLARED_SPEC}: the config of image ${subject.container.imageRef || '(none)'} is not available (give --image-archive, or --docker with the image present)`;
  }
  return 'image no longer present on the engine';
}

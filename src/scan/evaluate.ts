// Runs the policy's checks over one workload's facts and turns every outcome
// (pass, fail, waived, not-applicable, error) into a finding.
import * as crypto from 'node:crypto';

import { renderMessage, type Check, type CheckTarget, type SubjectByTarget, type Violation } from '../model/check.js';
import type { Finding, Waiver, WaiverStatus } from '../model/report.js';
import { checksFor, type ResolvedCheck, type ResolvedPolicy, type ResolvedWaiver } from '../policy/policy.js';
import { declaredSpecReason } from '../lib/not-collected.js';
import type { ContainerSubject } from '../model/facts.js';
import { matchesSelector, type WorkloadAttributes } from '../policy/selector.js';
import { redactText, redactValue } from './redact.js';

export interface WorkloadInput<T extends CheckTarget = CheckTarget> {
  workloadId: string;
  /** Stable identity for fingerprints. */
  identity: string;
  name: string;
  /** What policy selectors see; defaults to the target kind and name. */
  attributes?: WorkloadAttributes;
  target: T;
  subject?: SubjectByTarget[T];
  /** Facts could not be gathered: every check becomes an error finding. */
  error?: string;
}

// One-shot hashing (Node 20.12+) is about three times cheaper than a Hash object
// per call, and a scan hashes once per finding (43,000 for 1,000 services).
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

export function fingerprint(checkId: string, identity: string, key?: string): string {
  return sha256Hex(`${checkId}\0${identity}\0${key ?? ''}`).slice(0, 32);
}

/** End of the expiry day, UTC: a waiver expiring 2027-03-01 still applies that day. */
function expiresAt(date: string): number {
  return Date.parse(`${date}T23:59:59.999Z`);
}

export interface WaiverMatch {
  waiver: ResolvedWaiver;
  expired: boolean;
}

function attributesOf(input: WorkloadInput): WorkloadAttributes {
  return input.attributes ?? { kind: input.target === 'engine' ? 'engine' : input.target, name: input.name };
}

/** A waiver's selector: `select`, narrowed by the `workload` name glob shorthand. */
export function waiverMatchesWorkload(waiver: ResolvedWaiver, workload: WorkloadAttributes): boolean {
  if (waiver.workload !== undefined && !matchesSelector({ name: waiver.workload }, workload)) return false;
  return matchesSelector(waiver.select, workload);
}

function matchWaiver(
  waivers: readonly ResolvedWaiver[],
  checkId: string,
  workload: WorkloadAttributes,
  key: string | undefined,
  now: Date,
): WaiverMatch | undefined {
  let expired: WaiverMatch | undefined;
  for (const waiver of waivers) {
    if (waiver.check !== checkId) continue;
    if (!waiverMatchesWorkload(waiver, workload)) continue;
    if (waiver.key !== undefined && waiver.key !== key) continue;
    if (waiver.expires !== undefined && now.getTime() > expiresAt(waiver.expires)) {
      expired ??= { waiver, expired: true };
      continue;
    }
    return { waiver, expired: false };
  }
  return expired;
}

/**
 * A finding with every field in one order, the optional ones undefined until
 * set: one object shape for the tens of thousands a large scan makes, so the
 * code that reads and extends them (locations, scores, reporters) stays fast.
 * Reporters copy the fields they print, so the order here is not the output's.
 */
function newFinding(rc: ResolvedCheck, input: WorkloadInput, status: Finding['status'], message: string, fingerprint: string, reason?: string): Finding {
  const { meta } = rc.check;
  return {
    checkId: rc.check.id,
    workloadId: input.workloadId,
    status,
    severity: rc.severity,
    layer: meta.layer,
    title: meta.title,
    message,
    evidence: undefined,
    remediation: meta.remediation,
    references: meta.references,
    fingerprint,
    key: undefined,
    waiver: undefined,
    reason,
    baseline: undefined,
    location: undefined,
  };
}

function violationFinding(
  rc: ResolvedCheck,
  input: WorkloadInput,
  violation: Violation,
  policy: ResolvedPolicy,
  now: Date,
): Finding {
  const template = rc.check.meta.messages[violation.messageId] ?? violation.messageId;
  const message = redactText(renderMessage(template, violation.data));
  const match = matchWaiver(policy.waivers, rc.check.id, attributesOf(input), violation.key, now);
  const finding = newFinding(rc, input, match && !match.expired ? 'waived' : 'fail', message, fingerprint(rc.check.id, input.identity, violation.key));
  finding.evidence = redactValue(violation.evidence) as Finding['evidence'];
  finding.key = violation.key;
  if (match) {
    const waiver: Waiver = { reason: match.waiver.reason, source: match.waiver.source };
    if (match.waiver.owner !== undefined) waiver.owner = match.waiver.owner;
    if (match.waiver.expires !== undefined) waiver.expires = match.waiver.expires;
    if (match.expired) finding.reason = `waiver expired on ${match.waiver.expires} (${match.waiver.source})`;
    else finding.waiver = waiver;
  }
  return finding;
}

/**
 * For a declared container (a Compose service, src/checkers/compose/declared.ts):
 * why a check that reads a running fact, or the configuration of an engine
 * palisade did not read, cannot pass. Undefined when the check runs as usual.
 */
function declaredDeferral(check: Check, input: WorkloadInput): string | undefined {
  if (input.target !== 'container' || input.subject === undefined) return undefined;
  const { container, engine } = input.subject as ContainerSubject;
  if (container.declared === undefined) return undefined;
  if (check.meta.runtimeFact !== undefined) return declaredSpecReason(check.meta.runtimeFact);
  if (check.meta.engineFact !== undefined && engine.declared === true) {
    return declaredSpecReason(check.meta.engineFact, 'from the engine it will run on (give --docker to read it)');
  }
  return undefined;
}

/** Every enabled check of the workload's target, as findings. */
export function evaluateWorkload(input: WorkloadInput, policy: ResolvedPolicy, now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const rc of checksFor(policy, attributesOf(input))) {
    if (!rc.enabled || rc.check.target !== input.target) continue;
    const check = rc.check as Check;
    // Violations carry their own fingerprints; the check-level one is only hashed when used.
    const fp = (): string => fingerprint(check.id, input.identity);
    if (input.error !== undefined || input.subject === undefined) {
      const reason = input.error ?? 'no facts gathered';
      findings.push(newFinding(rc, input, 'error', `Not evaluated: ${reason}`, fp(), reason));
      continue;
    }
    const ctx = { params: rc.params, now };
    try {
      const deferred = declaredDeferral(check, input);
      if (deferred !== undefined) {
        // What the spec declares can still fail the check; nothing else decides it.
        const violations = check.evaluate(input.subject, ctx);
        if (violations.length === 0) {
          findings.push(newFinding(rc, input, 'not-applicable', deferred, fp(), deferred));
        }
        for (const v of violations) findings.push(violationFinding(rc, input, v, policy, now));
        continue;
      }
      const notApplicable = check.appliesTo?.(input.subject, ctx);
      if (notApplicable !== undefined) {
        const reason = redactText(notApplicable);
        findings.push(newFinding(rc, input, 'not-applicable', reason, fp(), reason));
        continue;
      }
      const violations = check.evaluate(input.subject, ctx);
      if (violations.length === 0) {
        findings.push(newFinding(rc, input, 'pass', check.meta.title, fp()));
        continue;
      }
      for (const v of violations) findings.push(violationFinding(rc, input, v, policy, now));
    } catch (cause) {
      const reason = `check ${check.id} failed: ${cause instanceof Error ? cause.message : String(cause)}`;
      findings.push(newFinding(rc, input, 'error', reason, fp(), reason));
    }
  }
  return findings;
}

/** What became of each policy waiver: active, expired, or stale (matched nothing, so it can go). */
export function waiverStatuses(policy: ResolvedPolicy, findings: readonly Finding[], now: Date): WaiverStatus[] {
  const applied = new Map<string, number>();
  const expiredHits = new Map<string, number>();
  for (const f of findings) {
    if (f.waiver) applied.set(f.waiver.source, (applied.get(f.waiver.source) ?? 0) + 1);
    const m = f.reason?.match(/^waiver expired on \S+ \((.+)\)$/);
    if (m?.[1]) expiredHits.set(m[1], (expiredHits.get(m[1]) ?? 0) + 1);
  }
  return policy.waivers.map((w) => {
    const expired = w.expires !== undefined && now.getTime() > expiresAt(w.expires);
    const matched = expired ? (expiredHits.get(w.source) ?? 0) : (applied.get(w.source) ?? 0);
    const status: WaiverStatus['status'] = expired ? 'expired' : matched > 0 ? 'active' : 'stale';
    const out: WaiverStatus = { check: w.check, source: w.source, reason: w.reason, status, matched };
    if (w.owner !== undefined) out.owner = w.owner;
    if (w.expires !== undefined) out.expires = w.expires;
    return out;
  });
}

// The contract between checks (pure rules) and the engine that runs them.
import type { ContainerSubject, EngineSubject, HostSubject } from './facts.js';

export const LAYERS = [
  'isolation',
  'least-privilege',
  'confinement',
  'immutability',
  'provenance',
  'resource-limits',
  'segmentation',
  'access',
  'patching',
] as const;
export type Layer = (typeof LAYERS)[number];

/** Most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What kind of subject a check evaluates. */
export type CheckTarget = 'container' | 'engine' | 'host';

export interface SubjectByTarget {
  container: ContainerSubject;
  engine: EngineSubject;
  host: HostSubject;
}

/** A JSON Schema fragment for one check parameter, with its default. */
export interface ParameterSpec {
  description: string;
  schema: Record<string, unknown>;
  default: unknown;
}

export interface CheckMeta {
  title: string;
  /** Why it matters. */
  description: string;
  layer: Layer;
  severity: Severity;
  /** Imperative; names the exact flag or setting. */
  remediation: string;
  /** `cis-docker-1.6.0:5.4`, `cwe:250`, URLs. */
  references: readonly string[];
  /** Message templates keyed by message id; `{{name}}` is replaced from violation data. */
  messages: Readonly<Record<string, string>>;
  /** Check parameters a policy may set. */
  parameters?: Readonly<Record<string, ParameterSpec>>;
  tags?: readonly string[];
  /**
   * A fact only a running container has (the process list, the AppArmor
   * profile the engine applied, actual mount propagation). On a declared
   * container (a Compose service) the check fails on what the spec declares
   * but never passes: no violation is "not evaluated (declared spec)".
   */
  runtimeFact?: string;
  /**
   * Engine configuration the verdict depends on (seccomp support, SELinux,
   * user namespace remapping, cgroup version). On the stand-in engine of a
   * declared spec the check fails on what the spec declares but never passes.
   */
  engineFact?: string;
  deprecated?: boolean;
  aliases?: readonly string[];
}

export interface Evidence {
  /** Where the fact came from, e.g. `container inspect`, `image inspect`, `engine info`. */
  source: string;
  /** Field path inside that source, e.g. `HostConfig.Privileged`. */
  path: string;
  observed: unknown;
  expected?: unknown;
}

export interface Violation {
  messageId: string;
  data?: Readonly<Record<string, string | number>>;
  evidence: Evidence;
  /**
   * What distinguishes this violation from others of the same check on the same
   * workload (a capability name, a mount destination); part of the fingerprint.
   */
  key?: string;
}

export interface EvaluationContext {
  /** Parameters after policy overrides, defaults filled in. */
  params: Readonly<Record<string, unknown>>;
  /** The scan's clock; checks never read the system clock. */
  now: Date;
}

export interface Check<T extends CheckTarget = CheckTarget> {
  id: string;
  target: T;
  meta: CheckMeta;
  /** A reason when the check does not apply to this subject (reported as not-applicable). */
  appliesTo?(subject: SubjectByTarget[T], ctx: EvaluationContext): string | undefined;
  /** Synchronous and deterministic; an empty list is a pass. */
  evaluate(subject: SubjectByTarget[T], ctx: EvaluationContext): Violation[];
}

export type ContainerCheck = Check<'container'>;
export type EngineCheck = Check<'engine'>;
export type HostCheck = Check<'host'>;

/** Identity function that keeps literal types and checks the shape. */
export function defineCheck<T extends CheckTarget>(check: Check<T>): Check<T> {
  return check;
}

/** Fills `{{name}}` placeholders in a message template. */
export function renderMessage(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(data, name) ? String(data[name]) : whole,
  );
}

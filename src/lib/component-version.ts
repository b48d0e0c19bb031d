// Parses Docker Engine, containerd and runc versions as the Engine API's
// /version endpoint reports them, tells upstream releases from distribution
// builds, and matches upstream versions against the bundled advisory list.
//
// Why distribution builds are set apart: Debian, Ubuntu, Fedora, RHEL, SUSE and
// cloud vendors backport security fixes without moving the upstream version
// (`20.10.24+dfsg1` may carry the fix for a CVE fixed upstream in 23.0.15), so
// a version string alone cannot say whether such a build is vulnerable. A
// distribution that strips its suffix from the reported version cannot be told
// apart from upstream; that case is judged as upstream.
import semver from 'semver';

import { DOCKER_VULNERABLE_VERSIONS, type AffectedRange, type ComponentAdvisory, type RuntimeComponent } from '../data/docker-vulnerable-versions.js';
import type { Violation } from '../model/check.js';
import type { EngineFacts, EngineHostPackages } from '../model/facts.js';

export type VersionOrigin = 'upstream' | 'distribution';

export interface ComponentVersion {
  /** As reported, trimmed. */
  raw: string;
  /** The upstream release as the project writes it (`18.09.1`, `1.0.0-rc93`), without `v` or any suffix. */
  upstream: string;
  /** `upstream` in strict SemVer (`18.9.1`, `1.0.0-rc.93`), for comparisons. */
  semver: string;
  origin: VersionOrigin;
  /** The distribution or vendor part (`+dfsg1`, `-0ubuntu1~22.04.2`, `-ce`); empty for upstream releases. */
  suffix: string;
}

const CORE = /^(\d+)\.(\d+)(?:\.(\d+))?/;
// Upstream pre-releases: runc `-rc93` and `-rc.3`, containerd `-beta.0`, Docker `-rc1`.
const PRERELEASE = /^-((?:alpha|beta|rc)\.?\d+(?:\.\d+)*)/i;
// Docker CE tagged releases `17.03.0-ce` .. `18.06.3-ce` (and `-ce-rc1`); 18.09 dropped it.
const DOCKER_CE = /^-ce(?:-(rc\d+))?$/;

/**
 * Strict SemVer for a version as a project writes it: drops a leading `v`,
 * adds a missing patch, removes leading zeros (Docker's `19.03.0`) and splits
 * `rc93` into `rc.93` so that runc's `rc10` sorts after `rc9`. Undefined when
 * the result is not valid SemVer.
 */
export function toSemver(version: string): string | undefined {
  const text = version.trim().replace(/^v/i, '');
  const core = CORE.exec(text);
  if (!core) return undefined;
  const [, major, minor, patch] = core;
  const rest = text.slice(core[0].length);
  let prerelease = '';
  if (rest !== '') {
    if (!rest.startsWith('-')) return undefined;
    prerelease = rest
      .slice(1)
      .split('.')
      .flatMap((part) => {
        const split = /^([a-z]+)(\d+)$/i.exec(part);
        return split ? [split[1] as string, split[2] as string] : [part];
      })
      .join('.');
  }
  const candidate = `${Number(major)}.${Number(minor)}.${Number(patch ?? 0)}${prerelease ? `-${prerelease}` : ''}`;
  return semver.valid(candidate) ?? undefined;
}

/** Parses a reported component version; undefined when it has no `major.minor` core (`dev`, `library-import`). */
export function parseComponentVersion(reported: string): ComponentVersion | undefined {
  const raw = reported.trim();
  const text = raw.replace(/^v/i, '');
  const core = CORE.exec(text);
  if (!core) return undefined;
  let rest = text.slice(core[0].length);
  let upstream = core[0];

  const ce = DOCKER_CE.exec(rest);
  const major = Number(core[1]);
  const minor = Number(core[2]);
  if (ce && (major < 18 || (major === 18 && minor < 9))) {
    upstream += ce[1] ? `-${ce[1]}` : '';
    rest = '';
  } else {
    const pre = PRERELEASE.exec(rest);
    if (pre) {
      upstream += pre[0];
      rest = rest.slice(pre[0].length);
    }
  }

  const version = toSemver(upstream);
  if (version === undefined) return undefined;
  return { raw, upstream, semver: version, origin: rest === '' ? 'upstream' : 'distribution', suffix: rest };
}

/** The range of `ranges` that contains `version` (strict SemVer), if any. */
export function affectedRange(version: string, ranges: readonly AffectedRange[]): AffectedRange | undefined {
  return ranges.find((range) => {
    const fixed = toSemver(range.fixed);
    if (fixed === undefined || !semver.lt(version, fixed)) return false;
    if (range.introduced === undefined) return true;
    const introduced = toSemver(range.introduced);
    return introduced !== undefined && semver.gte(version, introduced);
  });
}

/** A range as the projects write versions (`>=1.0.0-rc93 <1.1.12`, `<20.10.9`), for messages. */
export function rangeText(range: AffectedRange): string {
  return range.introduced === undefined ? `<${range.fixed}` : `>=${range.introduced} <${range.fixed}`;
}

/** A range as a SemVer range expression (`>=1.0.0-rc.93 <1.1.12`), for display and validation. */
export function rangeExpression(range: AffectedRange): string {
  const fixed = toSemver(range.fixed) ?? range.fixed;
  if (range.introduced === undefined) return `<${fixed}`;
  return `>=${toSemver(range.introduced) ?? range.introduced} <${fixed}`;
}

export interface AdvisoryMatch {
  advisory: ComponentAdvisory;
  /** The range the version falls in; its `fixed` is the first fixed release on that line. */
  range: AffectedRange;
}

/** Advisories of `component` whose affected ranges contain the upstream `version` (strict SemVer). */
export function matchAdvisories(
  component: RuntimeComponent,
  version: string,
  advisories: readonly ComponentAdvisory[],
): AdvisoryMatch[] {
  const matches: AdvisoryMatch[] = [];
  for (const advisory of advisories) {
    if (advisory.component !== component) continue;
    const range = affectedRange(version, advisory.affected);
    if (range) matches.push({ advisory, range });
  }
  return matches;
}

/** What a version check can say about one reported component version. */
export type VersionAssessment =
  | { kind: 'unreported' }
  | { kind: 'unparseable'; raw: string }
  | { kind: 'distribution'; version: ComponentVersion; matches: AdvisoryMatch[] }
  | { kind: 'upstream'; version: ComponentVersion; matches: AdvisoryMatch[] };

export function assessComponentVersion(
  component: RuntimeComponent,
  reported: string | undefined,
  advisories: readonly ComponentAdvisory[],
): VersionAssessment {
  if (reported === undefined || reported.trim() === '') return { kind: 'unreported' };
  const version = parseComponentVersion(reported);
  if (!version) return { kind: 'unparseable', raw: reported.trim() };
  const matches = matchAdvisories(component, version.semver, advisories);
  return { kind: version.origin, version, matches };
}

export interface ComponentLabels {
  /** Display name, e.g. `Docker Engine`, `runc`. */
  name: string;
  /** Where the version came from, e.g. `/version Components[runc].Version`. */
  field: string;
  /** Host commands that show the installed package and its changelog. */
  packageQuery: string;
}

/**
 * The not-applicable reason for a version the check cannot judge, or undefined
 * when it can (an upstream release).
 */
export function notJudgeableReason(assessment: VersionAssessment, labels: ComponentLabels): string | undefined {
  switch (assessment.kind) {
    case 'upstream':
      return undefined;
    case 'unreported':
      return `The engine did not report a ${labels.name} version (${labels.field}), so it cannot be compared with known advisories.`;
    case 'unparseable':
      return `${labels.name} reports version "${assessment.raw}", which is not a release version palisade can compare with known advisories (a development or custom build?). Check the installed package instead: ${labels.packageQuery}.`;
    case 'distribution': {
      const { version, matches } = assessment;
      const applies =
        matches.length === 0
          ? `No advisory in palisade's bundled list applies to upstream ${version.upstream}.`
          : `Upstream ${version.upstream} is affected by ${matches.map(describeMatch).join('; ')}.`;
      return (
        `${labels.name} ${version.raw} is a distribution or vendor build (suffix "${version.suffix}") of upstream ` +
        `${version.upstream}; such builds may carry backported fixes, so whether it is vulnerable cannot be judged from the ` +
        `Engine API version string. ${applies} Judge it from the host's package state (${labels.packageQuery}) ` +
        `against the distribution's security advisories for those CVEs.`
      );
    }
  }
}

function describeMatch({ advisory, range }: AdvisoryMatch): string {
  const alias = advisory.aliases.length > 0 ? ` / ${advisory.aliases.join(', ')}` : '';
  return `${advisory.id}${alias} (fixed upstream in ${range.fixed})`;
}

/** Host packages that ship each runtime component (Debian, Ubuntu, Fedora/RHEL, SUSE, Docker's own repositories). */
export const COMPONENT_PACKAGES: Readonly<Record<RuntimeComponent, readonly string[]>> = {
  engine: ['docker.io', 'docker-ce', 'docker-engine', 'moby-engine', 'docker'],
  containerd: ['containerd', 'containerd.io', 'moby-containerd'],
  runc: ['runc', 'containerd.io', 'moby-runc'],
};

/** Every package name any component may come from (what a collector keeps from a host's package list). */
export const RUNTIME_PACKAGE_NAMES: ReadonlySet<string> = new Set(Object.values(COMPONENT_PACKAGES).flat());

export interface HostJudgement {
  /** The host packages that ship the component. */
  installed: { name: string; version: string }[];
  /** Security updates pending for them, and advisories matched on them: each is a reason to call it vulnerable. */
  pending: { name: string; installed: string; candidate: string }[];
  advisories: { id: string; packageName: string; fixedVersion?: string }[];
}

/**
 * A distribution build judged from its host's package state: undefined when
 * the host was not scanned, ships none of the component's packages, or its
 * pending updates were not collected (then nothing can be said).
 */
export function judgeFromHost(component: RuntimeComponent, host: EngineHostPackages | undefined): HostJudgement | undefined {
  if (!host || host.pendingSecurity === undefined) return undefined;
  const names = new Set(COMPONENT_PACKAGES[component]);
  const installed = host.installed.filter((p) => names.has(p.name));
  if (installed.length === 0) return undefined;
  return {
    installed,
    pending: host.pendingSecurity.filter((u) => u.security && names.has(u.name)),
    advisories: (host.advisories ?? []).filter((a) => names.has(a.packageName)),
  };
}

/** Messages the version checks use for a distribution build judged from its host. */
export const HOST_JUDGEMENT_MESSAGES = {
  'host-security-update':
    '{{component}} {{reported}} is a distribution build; host {{host}} has a pending security update for package {{package}} ({{installed}} -> {{candidate}}).',
  'host-advisory': '{{component}} {{reported}} is a distribution build; host {{host}} package {{package}} {{installed}} is affected by {{id}}.',
} as const;

/**
 * For a distribution build on a scanned host: one violation per pending
 * security update or matched advisory of the packages that ship the
 * component; none when the host's package state shows it patched.
 */
export function hostPackageViolations(component: RuntimeComponent, labels: ComponentLabels, engine: EngineFacts, reported: string): Violation[] {
  const judged = judgeFromHost(component, engine.hostPackages);
  if (!judged || !engine.hostPackages) return [];
  const host = engine.hostPackages.host;
  const versions = new Map(judged.installed.map((p) => [p.name, p.version]));
  return [
    ...judged.pending.map((u) => ({
      messageId: 'host-security-update',
      data: { component: labels.name, reported, host, package: u.name, installed: u.installed, candidate: u.candidate },
      evidence: { source: `host ${host} packages`, path: `updates.pending[${u.name}]`, observed: u.installed, expected: `>=${u.candidate}` },
      key: `host-update:${u.name}`,
    })),
    ...judged.advisories.map((a) => ({
      messageId: 'host-advisory',
      data: { component: labels.name, reported, host, package: a.packageName, installed: versions.get(a.packageName) ?? '?', id: a.id },
      evidence: {
        source: `host ${host} packages`,
        path: `advisories[${a.id}]`,
        observed: versions.get(a.packageName) ?? '?',
        expected: a.fixedVersion !== undefined ? `>=${a.fixedVersion}` : 'not affected',
      },
      key: `host-advisory:${a.id}:${a.packageName}`,
    })),
  ];
}

/** What the three version checks (engine, containerd, runc) differ in. */
export interface VersionCheckSpec {
  component: RuntimeComponent;
  labels: ComponentLabels;
  /** Engine API field of the version, for evidence. */
  evidencePath: string;
  reported(engine: EngineFacts): string | undefined;
}

/** Message templates shared by the version checks. */
export const VERSION_MESSAGES = {
  ...HOST_JUDGEMENT_MESSAGES,
  vulnerable: '{{component}} {{installed}} is affected by {{id}} ({{aliases}}): {{summary}}. Fixed in {{fixed}}.',
  'vulnerable-critical': '{{component}} {{installed}} is affected by critical {{id}} ({{aliases}}): {{summary}}. Fixed in {{fixed}}.',
} as const;

/** A version check's not-applicable reason: unreported, unparseable, or a distribution build its host cannot judge. */
export function versionNotApplicable(spec: VersionCheckSpec, engine: EngineFacts): string | undefined {
  const assessment = assessComponentVersion(spec.component, spec.reported(engine), DOCKER_VULNERABLE_VERSIONS);
  // A distribution build is judged from its host's package state when palisade scanned that host.
  if (assessment.kind === 'distribution' && judgeFromHost(spec.component, engine.hostPackages)) return undefined;
  return notJudgeableReason(assessment, spec.labels);
}

/** One violation per advisory covering an upstream version, or per host package problem of a distribution build. */
export function versionViolations(spec: VersionCheckSpec, engine: EngineFacts): Violation[] {
  const assessment = assessComponentVersion(spec.component, spec.reported(engine), DOCKER_VULNERABLE_VERSIONS);
  if (assessment.kind === 'distribution') return hostPackageViolations(spec.component, spec.labels, engine, assessment.version.raw);
  if (assessment.kind !== 'upstream') return [];
  return assessment.matches.map(({ advisory, range }) => ({
    messageId: advisory.severity === 'critical' ? 'vulnerable-critical' : 'vulnerable',
    data: {
      component: spec.labels.name,
      installed: assessment.version.raw,
      id: advisory.id,
      aliases: advisory.aliases.join(', '),
      summary: advisory.summary,
      affected: rangeText(range),
      fixed: range.fixed,
      source: advisory.source,
    },
    evidence: { source: 'engine version', path: spec.evidencePath, observed: assessment.version.raw, expected: `>=${range.fixed}` },
    key: advisory.id,
  }));
}

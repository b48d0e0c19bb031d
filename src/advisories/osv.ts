// Offline OSV advisories: load a directory of OSV records (loose `.json`
// files in any folder layout, and/or OSV's per-ecosystem `<Ecosystem>/all.zip`
// exports), index the affected entries by ecosystem and package name, and
// match a host's installed packages against them with the distribution's own
// version order. Schema: https://ossf.github.io/osv-schema/ (affected[],
// ranges[].events, the evaluation pseudocode).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

import { InternalError, UsageError } from '../errors.js';
import { LIMITS, formatBytes } from '../lib/limits.js';
import { compareVersions, InvalidVersionError } from '../lib/versions/index.js';
import type { Ordering, VersionFormat } from '../lib/versions/index.js';
import type { Severity } from '../model/check.js';
import { ecosystemMatches, ecosystemNeedle, familyTraits } from './ecosystems.js';
import { openZip } from './zip.js';

export { ecosystemFamily, ecosystemFor, ecosystemMatches, familyTraits, OSV_FAMILIES } from './ecosystems.js';
export type { FamilyTraits, OsvFamily } from './ecosystems.js';

// ---------------------------------------------------------------------------
// The parts of the OSV schema palisade reads.

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package: { ecosystem: string; name: string; purl?: string };
  ranges: OsvRange[];
  versions: string[];
  severity: OsvSeverity[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// The loaded database.

export interface AdvisorySeverity {
  /**
   * Where the rating comes from: `database_specific` (the record's or the
   * entry's own label), `ecosystem_specific`, `ecosystem_specific.urgency`
   * (Debian), `ecosystem_specific.ubuntu_priority` (Ubuntu), `summary` (the
   * `Important:` prefix of RHSA-style summaries), or an OSV severity type
   * (`CVSS_V3`, `CVSS_V4`, `Ubuntu`).
   */
  source: string;
  /** A label (`high`, `Important`) or a CVSS vector. */
  value: string;
}

export interface Advisory {
  id: string;
  aliases: string[];
  /** IDs the record derives from (OSV `upstream`), typically the CVEs a DSA fixes. */
  upstream: string[];
  /** Closely related IDs (OSV `related`); USNs and RLSAs list their CVEs here. */
  related: string[];
  summary?: string;
  severity: AdvisorySeverity[];
  published?: string;
  modified?: string;
  /** The file (and archive entry) it was read from, relative to the advisory directory. */
  source: string;
}

export interface IndexedAffected {
  advisory: Advisory;
  affected: OsvAffected;
}

export interface LoadProblem {
  /** File relative to the advisory directory, with `!entry` for an archive member. */
  source: string;
  reason: string;
}

export interface AdvisoryDatabase {
  /** Distinct advisories kept (withdrawn ones and those with no entry for the requested ecosystems are not). */
  advisoryCount: number;
  /** Files read: loose JSON files and archives, relative to the directory. */
  files: string[];
  /** Records or files that could not be read; each was skipped, the rest loaded. */
  problems: LoadProblem[];
  /** Affected entries by exact ecosystem, then package name. */
  index: Map<string, Map<string, IndexedAffected[]>>;
}

export interface LoadAdvisoriesOptions {
  /**
   * Keep only entries that these host ecosystems match (see
   * `ecosystemMatches`), e.g. `['Debian:12']`; everything when absent. Records
   * with no such entry are skipped without being parsed where possible.
   */
  ecosystems?: readonly string[];
  /** Largest JSON document read, loose or in an archive (default 32 MiB). */
  maxRecordBytes?: number;
}

const DEFAULT_MAX_RECORD_BYTES = 32 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Validation: records come from disk, so every field is checked before use.

type Json = Record<string, unknown>;

/** Code-unit order, independent of locale. */
function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function severities(value: unknown): OsvSeverity[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isObject)
    .flatMap((s) => (typeof s.type === 'string' && typeof s.score === 'string' ? [{ type: s.type, score: s.score }] : []));
}

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function parseRange(value: unknown): OsvRange | string {
  if (!isObject(value) || typeof value.type !== 'string' || !Array.isArray(value.events)) return 'range without type or events';
  const events: OsvEvent[] = [];
  for (const raw of value.events) {
    if (!isObject(raw)) return 'event is not an object';
    const keys = EVENT_KEYS.filter((k) => raw[k] !== undefined);
    const key = keys[0];
    if (keys.length !== 1 || key === undefined || typeof raw[key] !== 'string') {
      return 'event must have exactly one of introduced, fixed, last_affected, limit, as a string';
    }
    events.push({ [key]: raw[key] });
  }
  const range: OsvRange = { type: value.type, events };
  if (typeof value.repo === 'string') range.repo = value.repo;
  return range;
}

function parseAffected(value: unknown): OsvAffected | string {
  if (!isObject(value) || !isObject(value.package)) return 'affected entry without package';
  const pkg = value.package;
  if (typeof pkg.ecosystem !== 'string' || typeof pkg.name !== 'string') return 'package without ecosystem or name';
  const ranges: OsvRange[] = [];
  for (const raw of Array.isArray(value.ranges) ? value.ranges : []) {
    const range = parseRange(raw);
    if (typeof range === 'string') return `${pkg.ecosystem}/${pkg.name}: ${range}`;
    ranges.push(range);
  }
  const affected: OsvAffected = {
    package: { ecosystem: pkg.ecosystem, name: pkg.name },
    ranges,
    versions: strings(value.versions),
    severity: severities(value.severity),
  };
  if (typeof pkg.purl === 'string') affected.package.purl = pkg.purl;
  if (isObject(value.ecosystem_specific)) affected.ecosystem_specific = value.ecosystem_specific;
  if (isObject(value.database_specific)) affected.database_specific = value.database_specific;
  return affected;
}

const RH_SUMMARY = /^(Critical|Important|Moderate|Low):\s/;

function recordSeverity(record: Json): AdvisorySeverity[] {
  const found: AdvisorySeverity[] = [];
  const label = isObject(record.database_specific) ? optionalString(record.database_specific.severity) : undefined;
  if (label !== undefined) found.push({ source: 'database_specific', value: label });
  for (const s of severities(record.severity)) found.push({ source: s.type, value: s.score });
  const prefix = RH_SUMMARY.exec(optionalString(record.summary) ?? '')?.[1];
  if (prefix !== undefined) found.push({ source: 'summary', value: prefix });
  return found;
}

// ---------------------------------------------------------------------------
// Building the index.

interface Candidate {
  advisory: Advisory;
  affected: OsvAffected[];
}

class DatabaseBuilder {
  private readonly records = new Map<string, Candidate>();
  readonly problems: LoadProblem[] = [];
  readonly files: string[] = [];
  private readonly needles: string[] | undefined;

  constructor(private readonly ecosystems: readonly string[] | undefined) {
    this.needles = ecosystems?.map(ecosystemNeedle);
  }

  /** Whether a document may hold an entry for the requested ecosystems (cheap pre-filter). */
  mayMatch(text: string): boolean {
    return this.needles === undefined || this.needles.some((n) => text.includes(n));
  }

  private wanted(ecosystem: string): boolean {
    return this.ecosystems === undefined || this.ecosystems.some((t) => ecosystemMatches(t, ecosystem));
  }

  addText(text: string, source: string): void {
    if (!this.mayMatch(text)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      this.problems.push({ source, reason: `not JSON: ${(error as Error).message}` });
      return;
    }
    if (Array.isArray(parsed)) parsed.forEach((item, i) => this.add(item, `${source}[${i}]`));
    else this.add(parsed, source);
  }

  add(value: unknown, source: string): void {
    if (!isObject(value) || typeof value.id !== 'string' || value.id === '') {
      this.problems.push({ source, reason: 'not an OSV record (no "id")' });
      return;
    }
    if (value.withdrawn !== undefined) return;
    const affected: OsvAffected[] = [];
    for (const raw of Array.isArray(value.affected) ? value.affected : []) {
      const entry = parseAffected(raw);
      if (typeof entry === 'string') {
        this.problems.push({ source, reason: `${value.id}: ${entry}; entry skipped` });
        continue;
      }
      if (this.wanted(entry.package.ecosystem)) affected.push(entry);
    }
    if (affected.length === 0) return;

    const advisory: Advisory = {
      id: value.id,
      aliases: strings(value.aliases),
      upstream: strings(value.upstream),
      related: strings(value.related),
      severity: recordSeverity(value),
      source,
    };
    const summary = optionalString(value.summary);
    if (summary !== undefined) advisory.summary = summary;
    const published = optionalString(value.published);
    if (published !== undefined) advisory.published = published;
    const modified = optionalString(value.modified);
    if (modified !== undefined) advisory.modified = modified;

    // The same record can sit in several exports (a loose copy beside all.zip):
    // keep the most recently modified.
    const previous = this.records.get(advisory.id);
    if (previous && !(Date.parse(advisory.modified ?? '') > Date.parse(previous.advisory.modified ?? ''))) return;
    this.records.set(advisory.id, { advisory, affected });
  }

  finish(): AdvisoryDatabase {
    const index = new Map<string, Map<string, IndexedAffected[]>>();
    const ids = [...this.records.keys()].sort();
    for (const id of ids) {
      const { advisory, affected } = this.records.get(id) as Candidate;
      for (const entry of affected) {
        let byName = index.get(entry.package.ecosystem);
        if (!byName) index.set(entry.package.ecosystem, (byName = new Map()));
        const list = byName.get(entry.package.name) ?? [];
        list.push({ advisory, affected: entry });
        byName.set(entry.package.name, list);
      }
    }
    return { advisoryCount: this.records.size, files: this.files, problems: this.problems, index };
  }
}

/**
 * Builds a database from records already in memory (each an OSV object, as
 * parsed from JSON); `source` names where they came from in problems.
 */
export function createAdvisoryDatabase(
  records: readonly unknown[],
  options: { ecosystems?: readonly string[]; source?: string } = {},
): AdvisoryDatabase {
  const builder = new DatabaseBuilder(options.ecosystems);
  records.forEach((record, i) => builder.add(record, `${options.source ?? 'records'}[${i}]`));
  return builder.finish();
}

async function listFiles(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => byString(a.name, b.name));
  for (const entry of entries) {
    // Hidden files hold palisade's own manifest and download temporaries.
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await listFiles(path, found);
    else if (entry.isFile()) found.push(path);
    else if (entry.isSymbolicLink()) {
      // Follow links to files; links to directories could loop.
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) found.push(path);
    }
  }
}

/**
 * Loads every OSV record under `dir`: `*.json` files (one record, or an array
 * of records) in any layout, and `*.zip` archives of them such as OSV's
 * `<Ecosystem>/all.zip`. Hidden files and folders are skipped. A file or
 * record that cannot be read is listed in `problems` and skipped; a directory
 * that cannot be read throws {@link UsageError}.
 */
export async function loadAdvisories(dir: string, options: LoadAdvisoriesOptions = {}): Promise<AdvisoryDatabase> {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const info = await stat(dir).catch((error: unknown) => {
    throw new UsageError(`advisory directory ${dir} cannot be read: ${(error as Error).message}`, { cause: error });
  });
  if (!info.isDirectory()) throw new UsageError(`advisory directory ${dir} is not a directory`);

  const paths: string[] = [];
  await listFiles(dir, paths);
  const builder = new DatabaseBuilder(options.ecosystems);
  for (const path of paths) {
    const source = relative(dir, path);
    const lower = path.toLowerCase();
    if (!lower.endsWith('.json') && !lower.endsWith('.zip')) continue;
    builder.files.push(source);
    let data: Buffer;
    try {
      const size = (await stat(path)).size;
      if (lower.endsWith('.json') && size > maxBytes) {
        builder.problems.push({ source, reason: `larger than ${maxBytes} bytes; skipped` });
        continue;
      }
      if (size > LIMITS.advisoryArchiveBytes) {
        builder.problems.push({ source, reason: `larger than the limit of ${formatBytes(LIMITS.advisoryArchiveBytes)}; skipped` });
        continue;
      }
      data = await readFile(path);
    } catch (error) {
      builder.problems.push({ source, reason: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    if (lower.endsWith('.json')) {
      builder.addText(data.toString('utf8'), source);
      continue;
    }
    try {
      const archive = openZip(data, { maxEntrySize: maxBytes });
      for (const entry of archive.entries) {
        if (!entry.name.toLowerCase().endsWith('.json')) continue;
        const member = `${source}!${entry.name}`;
        try {
          builder.addText(archive.read(entry).toString('utf8'), member);
        } catch (error) {
          builder.problems.push({ source: member, reason: (error as Error).message });
        }
      }
    } catch (error) {
      builder.problems.push({ source, reason: (error as Error).message });
    }
  }
  return builder.finish();
}

// ---------------------------------------------------------------------------
// Matching.

export interface PackageToMatch {
  /** Installed (binary) package name. */
  name: string;
  /** Source package: dpkg `${source:Package}`, rpm SOURCERPM name, apk origin. */
  sourceName: string;
  version: string;
  /** Source package version when it differs from `version` (dpkg binNMUs, rpm subpackages with their own version). */
  sourceVersion?: string;
}

export interface MatchRequest {
  /** The host's ecosystem, from `ecosystemFor` (`Debian:12`, `Red Hat:enterprise_linux:9`...). */
  ecosystem: string;
  packages: readonly PackageToMatch[];
  /** The host's package format; decides the version order. */
  format: VersionFormat;
}

export interface AdvisoryMatch {
  advisoryId: string;
  aliases: string[];
  upstream: string[];
  related: string[];
  summary?: string;
  /** Every rating found: the record's, then the matched entry's. */
  severity: AdvisorySeverity[];
  /** The first rating that is a recognised label, on palisade's scale; absent when there are only vectors or none. */
  level?: Severity;
  /** The installed package. */
  packageName: string;
  sourceName: string;
  /** The name the advisory entry lists (the source name for Debian, Ubuntu, Alpine and SUSE). */
  advisoryPackage: string;
  /** The advisory entry's exact ecosystem (`Red Hat:enterprise_linux:9::baseos`). */
  ecosystem: string;
  /** The version compared: the source version when matched by source name, else the installed version. */
  installedVersion: string;
  /** The first fixed version above the installed one on the range that matched; absent when no fix is listed. */
  fixedVersion?: string;
  ranges: OsvRange[];
}

export interface UnevaluatedMatch {
  advisoryId?: string;
  packageName: string;
  version: string;
  reason: string;
}

export interface MatchResult {
  matches: AdvisoryMatch[];
  /** Pairs that could not be judged (an unparsable version); never counted as unaffected silently. */
  unevaluated: UnevaluatedMatch[];
}

const LEVELS: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  negligible: 'info',
  unimportant: 'info',
};

function entrySeverity(affected: OsvAffected): AdvisorySeverity[] {
  const found: AdvisorySeverity[] = [];
  const db = optionalString(affected.database_specific?.severity);
  if (db !== undefined) found.push({ source: 'database_specific', value: db });
  const eco = optionalString(affected.ecosystem_specific?.severity);
  if (eco !== undefined) found.push({ source: 'ecosystem_specific', value: eco });
  const urgency = optionalString(affected.ecosystem_specific?.urgency);
  if (urgency !== undefined) found.push({ source: 'ecosystem_specific.urgency', value: urgency });
  const priority = optionalString(affected.ecosystem_specific?.ubuntu_priority);
  if (priority !== undefined) found.push({ source: 'ecosystem_specific.ubuntu_priority', value: priority });
  for (const s of affected.severity) found.push({ source: s.type, value: s.score });
  return found;
}

/** The first label palisade recognises (`Important` → `high`); vectors are not scored here. */
export function severityLevel(ratings: readonly AdvisorySeverity[]): Severity | undefined {
  for (const rating of ratings) {
    const level = LEVELS[rating.value.trim().toLowerCase()];
    if (level !== undefined) return level;
  }
  return undefined;
}

type Compare = (a: string, b: string) => Ordering;

interface Verdict {
  affected: boolean;
  fixed?: string;
  /** Set when a range could not be evaluated and nothing else showed the version affected. */
  problem?: string;
}

const INTRODUCED_ZERO = Symbol('introduced 0');
const LIMIT_INFINITY = Symbol('limit *');

interface SortableEvent {
  kind: (typeof EVENT_KEYS)[number];
  version: string | typeof INTRODUCED_ZERO | typeof LIMIT_INFINITY;
}

function eventOf(event: OsvEvent): SortableEvent {
  for (const kind of EVENT_KEYS) {
    const version = event[kind];
    if (version === undefined) continue;
    if (kind === 'introduced' && version === '0') return { kind, version: INTRODUCED_ZERO };
    if (kind === 'limit' && version.includes('*')) return { kind, version: LIMIT_INFINITY };
    return { kind, version };
  }
  throw new Error('validated event has no key');
}

function compareEventVersions(a: SortableEvent['version'], b: SortableEvent['version'], compare: Compare): number {
  if (a === b) return 0;
  if (a === INTRODUCED_ZERO || b === LIMIT_INFINITY) return -1;
  if (b === INTRODUCED_ZERO || a === LIMIT_INFINITY) return 1;
  return compare(a, b);
}

/** OSV's IncludedInRanges for one ECOSYSTEM range, plus the next fixed version. Throws on unparsable versions. */
function evaluateRange(range: OsvRange, version: string, compare: Compare): Verdict {
  const events = range.events.map(eventOf);
  const vs = (e: SortableEvent): number => compareEventVersions(version, e.version, compare);
  const limits = events.filter((e) => e.kind === 'limit');
  if (limits.length > 0 && !limits.some((e) => vs(e) < 0)) return { affected: false };

  // Events in version order; on a tie an introduction comes first, so
  // `introduced X, fixed X` describes an empty range.
  const order = EVENT_KEYS;
  const sorted = events
    .filter((e) => e.kind !== 'limit')
    .sort((a, b) => compareEventVersions(a.version, b.version, compare) || order.indexOf(a.kind) - order.indexOf(b.kind));
  let vulnerable = false;
  for (const e of sorted) {
    if (e.kind === 'introduced' && vs(e) >= 0) vulnerable = true;
    else if (e.kind === 'fixed' && vs(e) >= 0) vulnerable = false;
    else if (e.kind === 'last_affected' && vs(e) > 0) vulnerable = false;
  }
  if (!vulnerable) return { affected: false };
  const fixed = sorted.find((e) => e.kind === 'fixed' && vs(e) < 0)?.version;
  return typeof fixed === 'string' ? { affected: true, fixed } : { affected: true };
}

/** The lowest `fixed` event above `version` in any ECOSYSTEM range, for entries matched by their `versions` list. */
function nextFix(affected: OsvAffected, version: string, compare: Compare): string | undefined {
  let best: string | undefined;
  for (const range of affected.ranges) {
    if (range.type !== 'ECOSYSTEM') continue;
    for (const { fixed } of range.events) {
      if (fixed === undefined) continue;
      try {
        if (compare(version, fixed) < 0 && (best === undefined || compare(fixed, best) < 0)) best = fixed;
      } catch (error) {
        if (!(error instanceof InvalidVersionError)) throw error;
      }
    }
  }
  return best;
}

/** OSV's IsVulnerable for one affected entry: listed in `versions`, or inside any ECOSYSTEM range. */
function evaluateAffected(affected: OsvAffected, version: string, compare: Compare): Verdict {
  const problems: string[] = [];
  for (const range of affected.ranges) {
    // SEMVER and GIT ranges describe upstream projects, not distribution builds.
    if (range.type !== 'ECOSYSTEM') continue;
    try {
      const verdict = evaluateRange(range, version, compare);
      if (verdict.affected) return verdict;
    } catch (error) {
      if (!(error instanceof InvalidVersionError)) throw error;
      problems.push(error.message);
    }
  }
  for (const listed of affected.versions) {
    try {
      if (compare(version, listed) !== 0) continue;
    } catch (error) {
      if (!(error instanceof InvalidVersionError)) throw error;
      problems.push(error.message);
      continue;
    }
    const fixed = nextFix(affected, version, compare);
    return fixed === undefined ? { affected: true } : { affected: true, fixed };
  }
  return problems.length > 0 ? { affected: false, problem: problems.join('; ') } : { affected: false };
}

interface Lookup {
  name: string;
  version: string;
}

/**
 * Matches installed packages against the advisories whose entries apply to
 * `request.ecosystem` (see `ecosystemMatches`), with the version order of
 * `request.format`. Debian, Ubuntu, Alpine and SUSE entries name source
 * packages and are compared with the source version; Red Hat, Rocky and Alma
 * entries are matched by binary name first, then by source name. One match
 * per advisory and installed package; sorted by package, then advisory.
 */
export function matchAdvisories(db: AdvisoryDatabase, request: MatchRequest): MatchResult {
  const traits = familyTraits(request.ecosystem);
  if (traits && traits.format !== request.format) {
    throw new InternalError(`${request.ecosystem} uses ${traits.format} versions, not ${request.format}`);
  }
  const compare: Compare = (a, b) => compareVersions(request.format, a, b);
  const names = traits?.names ?? 'source';
  const tables = [...db.index.entries()]
    .filter(([ecosystem]) => ecosystemMatches(request.ecosystem, ecosystem))
    .sort(([a], [b]) => byString(a, b))
    .map(([, byName]) => byName);

  const matches: AdvisoryMatch[] = [];
  const unevaluated: UnevaluatedMatch[] = [];
  for (const pkg of request.packages) {
    const source: Lookup = { name: pkg.sourceName || pkg.name, version: pkg.sourceVersion ?? pkg.version };
    const lookups: Lookup[] = names === 'source' ? [source] : [{ name: pkg.name, version: pkg.version }, source];
    const matched = new Set<string>();
    const doubtful = new Map<string, UnevaluatedMatch>();
    for (const lookup of lookups) {
      const candidates = tables.flatMap((byName) => byName.get(lookup.name) ?? []);
      if (candidates.length === 0) continue;
      try {
        compare(lookup.version, lookup.version);
      } catch (error) {
        if (!(error instanceof InvalidVersionError)) throw error;
        unevaluated.push({ packageName: pkg.name, version: lookup.version, reason: error.message });
        continue;
      }
      for (const { advisory, affected } of candidates) {
        if (matched.has(advisory.id)) continue;
        const verdict = evaluateAffected(affected, lookup.version, compare);
        if (verdict.problem !== undefined) {
          doubtful.set(advisory.id, { advisoryId: advisory.id, packageName: pkg.name, version: lookup.version, reason: verdict.problem });
        }
        if (!verdict.affected) continue;
        matched.add(advisory.id);
        const severity = [...advisory.severity, ...entrySeverity(affected)];
        const match: AdvisoryMatch = {
          advisoryId: advisory.id,
          aliases: advisory.aliases,
          upstream: advisory.upstream,
          related: advisory.related,
          severity,
          packageName: pkg.name,
          sourceName: pkg.sourceName,
          advisoryPackage: affected.package.name,
          ecosystem: affected.package.ecosystem,
          installedVersion: lookup.version,
          ranges: affected.ranges.filter((r) => r.type === 'ECOSYSTEM'),
        };
        if (advisory.summary !== undefined) match.summary = advisory.summary;
        const level = severityLevel(severity);
        if (level !== undefined) match.level = level;
        if (verdict.fixed !== undefined) match.fixedVersion = verdict.fixed;
        matches.push(match);
      }
    }
    for (const [id, item] of doubtful) if (!matched.has(id)) unevaluated.push(item);
  }
  matches.sort((a, b) => byString(a.packageName, b.packageName) || byString(a.advisoryId, b.advisoryId));
  return { matches, unevaluated };
}

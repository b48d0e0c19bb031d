// SARIF 2.1.0 for GitHub code scanning: one run, a rule per check, a result
// per failing or waived finding, located at the file that declares the
// workload (a Compose service) or at a stable synthetic path.
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createGzip, deflateRawSync, gzipSync, inflateRawSync } from 'node:zlib';

import { UsageError } from '../errors.js';
import { escapeControls, sarifText } from '../lib/sanitize.js';
import type { CheckMeta, Severity } from '../model/check.js';
import type { Finding, ScanResult, WaiverStatus, Workload } from '../model/report.js';
import { compareFindings, pascalCase, referenceLabel, referenceUrl } from './format.js';
import type { Reporter } from './index.js';
import { jsonChunks, LazyItems } from './stream.js';

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const INFORMATION_URI = 'https://github.com/palisade-scanner/palisade';
const DEFAULT_CATEGORY = 'palisade';
/** Result locations are repository-relative; GitHub resolves them against the checkout. */
const URI_BASE_ID = 'SRCROOT';
/** GitHub reads at most 10 tags a rule (and ignores the rest). */
const MAX_TAGS = 10;

/**
 * What GitHub code scanning accepts in one upload ("SARIF support for code
 * scanning", "SARIF results exceed limits", "SARIF file is too large"):
 * more runs or results are rejected; past `storedResultsPerRun` results are
 * accepted but only the most severe are kept.
 */
export const GITHUB_SARIF_LIMITS = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  storedResultsPerRun: 5_000,
  /** "10 MB" gzipped; the decimal reading, the smaller one. */
  gzippedBytes: 10_000_000,
} as const;

export type SarifLimits = { [K in keyof typeof GITHUB_SARIF_LIMITS]: number };

/** What to do when a scan is too big for one upload. */
const TOO_BIG_ADVICE =
  'Scan fewer targets per run and give each run its own --sarif-category (for example one per engine or inventory group), ' +
  'or disable checks you do not act on in the policy.';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub buckets security-severity: >9 critical, 7-8.9 high, 4-6.9 medium, 0.1-3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

interface SarifMessage {
  text: string;
  markdown?: string;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { 'security-severity': string; tags: string[]; precision: 'high' };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } };
    logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: { primaryLocationLineHash: string };
  suppressions?: { kind: 'external'; status: 'accepted'; justification: string }[];
  relatedLocations?: {
    id: number;
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } };
    message: SarifMessage;
  }[];
  properties: Record<string, unknown>;
}

interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  associatedRule?: { id: string; index: number };
  properties?: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [
    {
      tool: {
        driver: { name: 'palisade'; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] };
      };
      automationDetails: { id: string };
      invocations: [
        {
          executionSuccessful: boolean;
          startTimeUtc: string;
          endTimeUtc: string;
          toolExecutionNotifications?: SarifNotification[];
        },
      ];
      results: SarifResult[];
    },
  ];
}

/**
 * `automationDetails.id` is `<category>/`: GitHub treats the part before the
 * last slash as the analysis category, and the category must not change
 * between scans or old alerts are never closed.
 */
export function automationId(category: string | undefined): string {
  const trimmed = (category ?? '').trim().replace(/\/+$/, '');
  return `${trimmed === '' ? DEFAULT_CATEGORY : trimmed}/`;
}

/**
 * A repository-relative URI reference: no scheme, no leading slash, no dot
 * segments, each segment percent-encoded (RFC 3986), so GitHub resolves it
 * against the checkout whatever the location held.
 */
export function artifactUri(uri: string, fallback: string): string {
  const normalized = path.posix.normalize(uri.replace(/\\/g, '/'));
  const segments = normalized.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  const encoded = segments.map((s) => encodeURIComponent(s)).join('/');
  return encoded === '' ? fallback : encoded;
}

function sentence(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t === '') return t;
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Evidence as compact JSON for a message; the full value is in the result's properties. */
function json(value: unknown, max = 200): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function ruleTags(meta: CheckMeta): string[] {
  const tags = ['security', meta.layer];
  for (const ref of meta.references) {
    const cwe = /^cwe:(\d+)$/i.exec(ref);
    if (cwe) tags.push(`external/cwe/cwe-${cwe[1]}`);
    else if (!/^https?:/i.test(ref)) {
      const prefix = /^([a-z0-9.-]+):/i.exec(ref);
      if (prefix?.[1]) tags.push(prefix[1].toLowerCase());
    }
  }
  for (const t of meta.tags ?? []) tags.push(t);
  return [...new Set(tags)].slice(0, MAX_TAGS);
}

function helpText(meta: CheckMeta): { text: string; markdown: string } {
  const remediation = sentence(meta.remediation);
  const textRefs = meta.references.map((r) => {
    const url = referenceUrl(r);
    const label = referenceLabel(r);
    return url === undefined || url === label ? `- ${label}` : `- ${label} (${url})`;
  });
  const markdownRefs = meta.references.map((r) => {
    const url = referenceUrl(r);
    const label = referenceLabel(r);
    return url === undefined ? `- ${label}` : url === label ? `- <${url}>` : `- [${label}](${url})`;
  });
  const text = [remediation, ...(textRefs.length > 0 ? ['', 'References:', ...textRefs] : [])].join('\n');
  const markdown = [`**Remediation.** ${remediation}`, ...(markdownRefs.length > 0 ? ['', '**References**', '', ...markdownRefs] : [])].join('\n');
  return { text, markdown };
}

function ruleDescriptor(id: string, meta: CheckMeta): SarifRule {
  const helpUri = meta.references.find((r) => /^https?:\/\//i.test(r));
  const rule: SarifRule = {
    id,
    name: pascalCase(id),
    shortDescription: { text: sentence(meta.title) },
    fullDescription: { text: sentence(meta.description) },
    help: helpText(meta),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { 'security-severity': SECURITY_SEVERITY[meta.severity], tags: ruleTags(meta), precision: 'high' },
  };
  if (helpUri !== undefined) rule.helpUri = helpUri;
  return rule;
}

/** A rule for a finding whose check is missing from `scan.rules`, from what the finding carries. */
function metaFromFinding(f: Finding): CheckMeta {
  return {
    title: f.title,
    description: f.title,
    layer: f.layer,
    severity: f.severity,
    remediation: f.remediation,
    references: f.references,
    messages: {},
  };
}

function waiverJustification(f: Finding): string {
  const w = f.waiver;
  if (!w) return 'Waived by policy.';
  const details = [w.owner !== undefined ? `owner ${w.owner}` : '', w.expires !== undefined ? `expires ${w.expires}` : '', `declared in ${w.source}`]
    .filter((s) => s !== '')
    .join(', ');
  return `${w.reason.trim().replace(/[.\s]+$/, '')} (${details}).`;
}

function resultMessage(f: Finding, workload: Workload | undefined): string {
  const parts = [sentence(f.message)];
  parts.push(`Workload ${f.workloadId}${workload?.image !== undefined ? `, image ${workload.image}` : ''}.`);
  if (f.evidence) {
    const e = f.evidence;
    const expected = e.expected !== undefined ? `, expected ${json(e.expected)}` : '';
    parts.push(`Evidence: ${e.path} from ${e.source} is ${json(e.observed)}${expected}.`);
  }
  if (f.status === 'waived') parts.push(`Waived: ${waiverJustification(f)}`);
  return parts.join(' ');
}

function syntheticUri(workloadId: string): string {
  return `.palisade/workloads/${encodeURIComponent(workloadId)}`;
}

function result(f: Finding, ruleIndex: number, workload: Workload | undefined, uris: Map<string, string>): SarifResult {
  // The declaring key (a Compose line) when known, else where the workload is declared.
  const at = f.location ?? workload?.location;
  // Most results of a workload share its location: each URI is encoded once.
  let encoded = uris.get(at?.uri ?? '');
  if (encoded === undefined) uris.set(at?.uri ?? '', (encoded = artifactUri(at?.uri ?? '', '')));
  const uri = encoded === '' ? syntheticUri(f.workloadId) : encoded;
  const startLine = Math.max(1, Math.floor(at?.startLine ?? 1) || 1);
  const properties: Record<string, unknown> = { workloadId: f.workloadId, layer: f.layer, status: f.status };
  if (f.key !== undefined) properties['key'] = f.key;
  if (f.evidence) properties['evidence'] = f.evidence;
  const out: SarifResult = {
    ruleId: f.checkId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: sarifText(resultMessage(f, workload)) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri, uriBaseId: URI_BASE_ID }, region: { startLine } },
        logicalLocations: [{ name: workload?.name ?? f.workloadId, fullyQualifiedName: f.workloadId, kind: 'resource' }],
      },
    ],
    partialFingerprints: { primaryLocationLineHash: f.fingerprint },
    properties,
  };
  if (f.status === 'waived') out.suppressions = [{ kind: 'external', status: 'accepted', justification: escapeControls(waiverJustification(f)) }];
  const waiverAt = f.waiver?.location;
  if (waiverAt) {
    out.relatedLocations = [
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: artifactUri(waiverAt.uri, waiverAt.uri), uriBaseId: URI_BASE_ID }, region: { startLine: waiverAt.startLine } },
        message: { text: 'The policy waiver that accepts this finding.' },
      },
    ];
  }
  return out;
}

/** Rules for results about the policy itself: waivers that expired or match nothing. */
const WAIVER_RULES: Readonly<Record<'expired' | 'stale', { id: string; meta: CheckMeta }>> = {
  expired: {
    id: 'policy/waiver-expired',
    meta: {
      title: 'Policy waiver has expired',
      description: 'A waiver past its expiry date no longer applies: the findings it accepted fail again until it is renewed with a new reason and date, or the cause is fixed.',
      layer: 'access',
      severity: 'low',
      remediation: 'Fix what the waiver accepted, or renew it with a new `expires` date and reason in the policy.',
      references: ['https://github.com/palisade-scanner/palisade/blob/main/docs/scoring.md'],
      messages: {},
    },
  },
  stale: {
    id: 'policy/waiver-stale',
    meta: {
      title: 'Policy waiver matches nothing',
      description: 'A waiver that matched no finding of the scan accepts nothing today but would silently accept a future finding that happens to match it.',
      layer: 'access',
      severity: 'info',
      remediation: 'Remove the waiver from the policy, or narrow its `select`/`key` to what it was meant for.',
      references: ['https://github.com/palisade-scanner/palisade/blob/main/docs/scoring.md'],
      messages: {},
    },
  },
};

function waiverResult(w: WaiverStatus, ruleIndex: number): SarifResult | undefined {
  if (w.status === 'active' || !w.location) return undefined;
  const text =
    w.status === 'expired'
      ? `Waiver of ${w.check} expired on ${w.expires ?? '?'} (${w.matched} finding(s) fail again): ${w.reason}`
      : `Waiver of ${w.check} matched no finding in this scan: ${w.reason}`;
  return {
    ruleId: WAIVER_RULES[w.status].id,
    ruleIndex,
    level: w.status === 'expired' ? 'warning' : 'note',
    message: { text: sarifText(sentence(text)) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: artifactUri(w.location.uri, w.location.uri), uriBaseId: URI_BASE_ID }, region: { startLine: w.location.startLine } },
        logicalLocations: [{ name: w.check, fullyQualifiedName: w.source, kind: 'resource' }],
      },
    ],
    partialFingerprints: {
      primaryLocationLineHash: createHash('sha256').update(`${w.status}\0${w.check}\0${w.reason}`).digest('hex').slice(0, 32),
    },
    properties: { waiverStatus: w.status, check: w.check, source: w.source },
  };
}

function notifications(scan: ScanResult, ruleIndex: Map<string, number>): SarifNotification[] {
  const out: SarifNotification[] = [];
  for (const t of scan.targets) {
    if (t.status !== 'error') continue;
    out.push({ level: 'error', message: { text: sarifText(sentence(`Target ${t.target} could not be scanned: ${t.error ?? 'unknown error'}`)) }, properties: { target: t.target } });
  }
  const workloads = new Map(scan.workloads.map((w) => [w.id, w]));
  for (const w of [...scan.workloads].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (w.error === undefined) continue;
    out.push({ level: 'error', message: { text: sarifText(sentence(`${w.kind === 'engine' ? 'Engine' : 'Container'} ${w.name} could not be scanned: ${w.error}`)) }, properties: { workloadId: w.id } });
  }
  // Check-level errors; a workload that could not be scanned is reported once above.
  const errors = scan.findings.filter((f) => f.status === 'error' && workloads.get(f.workloadId)?.error === undefined).sort(compareFindings);
  for (const f of errors) {
    const index = ruleIndex.get(f.checkId);
    const n: SarifNotification = {
      level: 'error',
      message: { text: sarifText(sentence(`${f.checkId} on ${f.workloadId}: ${f.reason ?? f.message}`)) },
      properties: { workloadId: f.workloadId },
    };
    if (index !== undefined) n.associatedRule = { id: f.checkId, index };
    out.push(n);
  }
  return out;
}

/** Failing and waived findings are results; the others are not (errors are notifications). */
function isResult(f: Finding): boolean {
  return f.status === 'fail' || f.status === 'waived';
}

/** The log with its results not made yet: they are made as they are written (or all at once by toJSON). */
interface LazySarifLog {
  log: SarifLog;
  results: LazyItems<SarifResult>;
}

/** `results` are the failing and waived findings of the scan (the caller has them). */
function lazySarif(scan: ScanResult, options: { sarifCategory?: string }, results: readonly Finding[] = scan.findings.filter(isResult)): LazySarifLog {
  const metas = new Map<string, CheckMeta>();
  for (const r of scan.rules) metas.set(r.id, r.meta);
  for (const f of scan.findings) if (!metas.has(f.checkId)) metas.set(f.checkId, metaFromFinding(f));
  for (const w of scan.waivers ?? []) {
    if (w.status !== 'active' && w.location) metas.set(WAIVER_RULES[w.status].id, WAIVER_RULES[w.status].meta);
  }
  const ids = [...metas.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ruleIndex = new Map(ids.map((id, i) => [id, i]));
  const rules = ids.map((id) => ruleDescriptor(id, metas.get(id) as CheckMeta));

  const workloads = new Map(scan.workloads.map((w) => [w.id, w]));
  const findings = [...results].sort(compareFindings);
  // The few results about the policy's waivers come last.
  const waivers: SarifResult[] = [];
  for (const w of scan.waivers ?? []) {
    const r = w.status === 'active' ? undefined : waiverResult(w, ruleIndex.get(WAIVER_RULES[w.status].id) ?? 0);
    if (r) waivers.push(r);
  }
  const uris = new Map<string, string>();
  const make = (start: number, end: number): SarifResult[] => {
    const out: SarifResult[] = [];
    for (let i = start; i < end; i++) {
      const f = findings[i];
      if (f) out.push(result(f, ruleIndex.get(f.checkId) as number, workloads.get(f.workloadId), uris));
      else out.push(waivers[i - findings.length] as SarifResult);
    }
    return out;
  };
  const lazy = new LazyItems(findings.length + waivers.length, make);

  const notes = notifications(scan, ruleIndex);
  if (lazy.length > GITHUB_SARIF_LIMITS.storedResultsPerRun) {
    notes.push({
      level: 'warning',
      message: {
        text: sentence(
          `This run has ${lazy.length} results; GitHub code scanning keeps only the ${GITHUB_SARIF_LIMITS.storedResultsPerRun} most severe of a run. ${TOO_BIG_ADVICE}`,
        ),
      },
    });
  }
  const invocation: SarifLog['runs'][0]['invocations'][0] = {
    executionSuccessful: !scan.incomplete,
    startTimeUtc: scan.startedAt,
    endTimeUtc: scan.finishedAt,
  };
  if (notes.length > 0) invocation.toolExecutionNotifications = notes;

  const log: SarifLog = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'palisade',
            version: scan.tool.version,
            semanticVersion: scan.tool.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        automationDetails: { id: automationId(options.sarifCategory) },
        invocations: [invocation],
        results: [],
      },
    ],
  };
  return { log, results: lazy };
}

/** The log with its results in place of the lazy ones (what is written). */
function withResults<R>(log: SarifLog, results: R): Omit<SarifLog, 'runs'> & { runs: [Omit<SarifLog['runs'][0], 'results'> & { results: R }] } {
  const [run] = log.runs;
  return { ...log, runs: [{ ...run, results }] };
}

export function toSarif(scan: ScanResult, options: { sarifCategory?: string }): SarifLog {
  const { log, results } = lazySarif(scan, options);
  return withResults(log, results.toJSON());
}

/**
 * Throws a UsageError when GitHub would reject the log for its number of runs
 * or results. The results stay in one run: GitHub rejects two runs of one
 * category in an upload, and a split over several categories would move
 * results between them from scan to scan, closing and reopening their alerts
 * and leaving a category from a larger earlier scan open for good.
 */
export function checkSarifCounts(log: { runs: readonly { results: { length: number }; automationDetails: { id: string } }[] }, limits: SarifLimits = GITHUB_SARIF_LIMITS): void {
  if (log.runs.length > limits.runsPerFile) {
    throw new UsageError(`SARIF: ${log.runs.length} runs in one file; GitHub code scanning accepts at most ${limits.runsPerFile}.`);
  }
  for (const run of log.runs) checkResultCount(run.results.length, run.automationDetails.id, limits);
}

function checkResultCount(results: number, category: string, limits: SarifLimits): void {
  if (results <= limits.resultsPerRun) return;
  throw new UsageError(
    `SARIF: ${results} results (failing and waived findings) in category ${category}; ` +
      `GitHub code scanning rejects a run with more than ${limits.resultsPerRun.toLocaleString('en-US')}, and splitting it would give results categories that change between scans. ` +
      TOO_BIG_ADVICE,
  );
}

/** An upper bound of the gzipped size of n bytes (zlib's deflateBound plus the gzip header and trailer). */
function gzipBound(n: number): number {
  return n + (n >> 12) + (n >> 14) + (n >> 25) + 13 + 18;
}

/** Throws a UsageError when the log, gzipped as uploads are, is over GitHub's size limit. */
export function checkSarifSize(text: string, limits: SarifLimits = GITHUB_SARIF_LIMITS): void {
  // A log that could not exceed the limit even uncompressed is not gzipped just to be measured.
  if (gzipBound(Buffer.byteLength(text)) <= limits.gzippedBytes) return;
  // The fastest level compresses least: within the limit there, within it at the default level too (4x faster to learn).
  if (gzipSync(text, { level: 1 }).length <= limits.gzippedBytes) return;
  const size = gzipSync(text).length;
  if (size <= limits.gzippedBytes) return;
  throw sarifTooLarge(size, limits);
}

function sarifTooLarge(size: number, limits: SarifLimits): UsageError {
  const mb = (n: number): string => `${(n / 1_000_000).toFixed(1)} MB`;
  return new UsageError(
    `SARIF: the log is ${mb(size)} gzipped; GitHub code scanning rejects uploads over ${mb(limits.gzippedBytes)} gzipped. ${TOO_BIG_ADVICE}`,
  );
}

/** Gzipped size of a sequence of chunks, without joining them. */
async function gzippedSize(chunks: Iterable<string>, level?: number): Promise<number> {
  let size = 0;
  const gzip = createGzip(level === undefined ? {} : { level });
  gzip.on('data', (b: Buffer) => {
    size += b.length;
  });
  const finished = new Promise<void>((resolve, reject) => {
    gzip.once('end', resolve);
    gzip.once('error', reject);
  });
  for (const chunk of chunks) {
    if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await finished;
  return size;
}

/** Chunks after the first tenth of the limit are deflated about this many bytes at a time. */
const DEFLATE_GROUP_BYTES = 1 << 20;

/** Chunks deflated together, and their sizes (to cut the inflated bytes back into the same chunks). */
interface DeflatedGroup {
  deflated: Buffer;
  chunkBytes: number[];
}

/** The chunks of a log, what they weigh, and an upper estimate of the gzipped size. */
interface MeasuredChunks {
  /** The chunks in order: as text, or (when the text is not kept) deflated in groups past the first part. */
  chunks: (string | DeflatedGroup)[];
  /** Bytes of the log as UTF-8. */
  bytes: number;
  /** At least the gzipped size of the log (practically): see measureChunks. */
  estimate: number;
}

/**
 * Every chunk generated once and its UTF-8 size counted; past the first
 * tenth of the limit the chunks are deflated at the fastest level, a
 * megabyte at a time with nothing carried over (the first chunks count at
 * deflate's bound). Pieces deflated apart cannot refer to each other and the
 * fastest level compresses least, so the sum is practically never less than
 * the log gzipped whole at the default level, as GitHub's upload does: a log
 * whose estimate is within the limit is within it, after one pass and no
 * copy of the log. With `keepText` false the text is kept deflated (a tenth
 * of its size) for writing afterwards.
 */
function measureChunks(chunks: Iterable<string>, limits: SarifLimits, keepText: boolean): MeasuredChunks {
  const kept: (string | DeflatedGroup)[] = [];
  let bytes = 0;
  let estimate = 18;
  // A group is encoded into the same buffer each time: no new memory per group.
  let scratch = Buffer.allocUnsafe(0);
  let group: string[] = [];
  let groupBytes: number[] = [];
  let groupSize = 0;
  const deflateGroup = (): void => {
    if (group.length === 0) return;
    if (scratch.length < groupSize) scratch = Buffer.allocUnsafe(groupSize + DEFLATE_GROUP_BYTES);
    let at = 0;
    for (const text of group) at += scratch.write(text, at, 'utf8');
    // An output buffer that holds the usual group deflated (zlib joins pieces otherwise), below malloc's mmap size.
    const deflated = deflateRawSync(scratch.subarray(0, at), { level: 1, chunkSize: 96 * 1024 });
    estimate += deflated.length;
    if (keepText) kept.push(...group);
    else kept.push({ deflated, chunkBytes: groupBytes });
    group = [];
    groupBytes = [];
    groupSize = 0;
  };
  for (const chunk of chunks) {
    const n = Buffer.byteLength(chunk);
    const early = bytes < limits.gzippedBytes / 10;
    bytes += n;
    if (early) {
      estimate += n + (n >> 12) + (n >> 14) + 13;
      kept.push(chunk);
      continue;
    }
    group.push(chunk);
    groupBytes.push(n);
    groupSize += n;
    if (groupSize >= DEFLATE_GROUP_BYTES) deflateGroup();
  }
  deflateGroup();
  return { chunks: kept, bytes, estimate };
}

/** The chunks measureChunks kept, as text again. */
function* keptChunks(kept: readonly (string | DeflatedGroup)[]): Generator<string> {
  for (const item of kept) {
    if (typeof item === 'string') {
      yield item;
      continue;
    }
    const bytes = inflateRawSync(item.deflated, { chunkSize: item.chunkBytes.reduce((a, b) => a + b, 64) });
    let at = 0;
    for (const n of item.chunkBytes) {
      yield bytes.toString('utf8', at, at + n);
      at += n;
    }
  }
}

/** Within GitHub's size limit by the cheap measures (deflate's bound, the estimate); false: it needs gzipping to know. */
function fitsByEstimate(m: MeasuredChunks, limits: SarifLimits): boolean {
  return gzipBound(m.bytes) <= limits.gzippedBytes || m.estimate <= limits.gzippedBytes;
}

/** What is written: the log with its results made a batch at a time (results are written one by one: root, runs, the run, its results). */
function sarifDocument(scan: ScanResult, options: { sarifCategory?: string }): unknown {
  const findings = scan.findings.filter(isResult);
  // Counted before the log is built: one with too many results is never built or written out.
  checkResultCount(findings.length, automationId(options.sarifCategory), GITHUB_SARIF_LIMITS);
  const { log, results } = lazySarif(scan, options, findings);
  const doc = withResults(log, results);
  checkSarifCounts(doc);
  return doc;
}

const SARIF_LEVELS = 4;

export const sarifReporter: Reporter = (scan, options) => {
  const measured = measureChunks(jsonChunks(sarifDocument(scan, options), SARIF_LEVELS), GITHUB_SARIF_LIMITS, true);
  const text = [...keptChunks(measured.chunks)].join('');
  if (!fitsByEstimate(measured, GITHUB_SARIF_LIMITS)) checkSarifSize(text);
  return text;
};

/**
 * The SARIF log in chunks (the CLI's path for files and stdout): the same text
 * as sarifReporter, and the same refusals, all raised before the first chunk.
 * The log is generated once to be measured; what is written afterwards is
 * inflated from the measuring pass (a tenth of the size in memory), not
 * generated again.
 */
export async function* sarifReportTo(scan: ScanResult, options: { sarifCategory?: string }, limits: SarifLimits = GITHUB_SARIF_LIMITS): AsyncGenerator<string> {
  const doc = sarifDocument(scan, options);
  const chunks = (): Iterable<string> => jsonChunks(doc, SARIF_LEVELS);
  const measured = measureChunks(chunks(), limits, false);
  if (!fitsByEstimate(measured, limits) && (await gzippedSize(chunks(), 1)) > limits.gzippedBytes) {
    const size = await gzippedSize(chunks());
    if (size > limits.gzippedBytes) throw sarifTooLarge(size, limits);
  }
  yield* keptChunks(measured.chunks);
}

// Every size cap palisade enforces on what it reads, in one place so the docs
// (docs/security.md, "Limits") and the errors name the same numbers.

const MiB = 1024 * 1024;

export const LIMITS = {
  /** A policy file (and each file it extends). */
  policyFileBytes: 4 * MiB,
  /** An inventory file: palisade.yaml, an ssh config (each Include), an Ansible inventory. */
  inventoryFileBytes: 16 * MiB,
  /** Files an ssh config may pull in through Include, in total. */
  sshConfigIncludeFiles: 256,
  /** A --baseline JSON report. */
  baselineFileBytes: 256 * MiB,
  /** One known_hosts file. */
  knownHostsFileBytes: 64 * MiB,
  /** YAML: the deepest nesting of collections in one document. */
  yamlDepth: 100,
  /** YAML: alias uses (`*name`) in one document. */
  yamlAliases: 10_000,
  /** YAML: nodes that alias uses stand for, summed (what a consumer walking the data would visit). */
  yamlAliasExpandedNodes: 100_000,
  /** An advisory archive (`*.zip`) or record file read from --advisories. */
  advisoryArchiveBytes: 2047 * MiB,
  /** Everything read out of one advisory archive, uncompressed, summed. */
  advisoryArchiveUncompressedBytes: 8192 * MiB,
  /** A deflated ZIP entry (over 1 MiB) inflating to more than this many times its compressed size. */
  zipMaxRatio: 200,
  /** Everything the SSH probe of one host prints (each section is cut at PROBE_SECTION_MAX_BYTES, 4 MiB, on the host and checked again here). */
  probeOutputBytes: 64 * MiB,
  /** One Docker Engine API response body. */
  engineResponseBytes: 64 * MiB,
  /** All Docker Engine API response bodies of one engine, summed. */
  engineTotalBytes: 1024 * MiB,
} as const;

/** `4 MiB`, `512 KiB`, `100 bytes`: how limits read in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

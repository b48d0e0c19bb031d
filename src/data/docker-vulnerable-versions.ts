// Known vulnerable upstream versions of Docker Engine (moby), containerd and
// runc: a bundled, sourced list read by the docker/*-version-not-vulnerable
// checks. Not exhaustive: it holds notable advisories (container escapes,
// authorization bypasses, host exposure), not every CVE; a full vulnerability
// scanner remains the authority.
//
// How it was compiled (2026-11-28): each entry was read from the GitHub
// Advisory Database (github/advisory-database, advisories/github-reviewed/...
// JSON, which mirrors the projects' own security advisories) for the Go modules
// github.com/opencontainers/runc, github.com/containerd/containerd (and /v2),
// github.com/docker/docker and github.com/moby/moby. `affected` copies the
// advisory's `introduced`/`fixed` events range by range; `introduced: "0"` is
// written as no `introduced`. Versions are written as the projects tag them
// (`1.0.0-rc93`, `19.03.0`); src/lib/component-version.ts turns them into
// strict SemVer for comparison. Exceptions, each noted at its entry:
//  - CVE-2019-5736 has only an unreviewed, range-less GHSA; its range comes from
//    the NVD text ("runc through 1.0-rc6") and containerd's v1.1.7 release
//    notes (runc v1.0.0-rc7 includes the fix).
//  - Where an advisory lists a release line without a fix of its own, the range
//    runs to the first fixed release of a later line (that is the upgrade).
// Advisories that could not be verified against a primary source were left out.
//
// To update: add the advisory from github/advisory-database, copy its ranges,
// and run test/data/docker-vulnerable-versions.test.ts.

export type RuntimeComponent = 'engine' | 'containerd' | 'runc';

/** One affected span of versions: `introduced` <= version < `fixed`. */
export interface AffectedRange {
  /** First affected version; absent means every earlier version. */
  introduced?: string;
  /** First release with the fix. */
  fixed: string;
}

export interface ComponentAdvisory {
  component: RuntimeComponent;
  /** CVE id. */
  id: string;
  /** GHSA ids. */
  aliases: readonly string[];
  summary: string;
  /** The advisory's own rating (GitHub Advisory Database `database_specific.severity`). */
  severity: 'critical' | 'high' | 'medium' | 'low';
  affected: readonly AffectedRange[];
  /** The project's security advisory (or the GitHub advisory when the project published none). */
  source: string;
}

export const DOCKER_VULNERABLE_VERSIONS: readonly ComponentAdvisory[] = [
  // --- runc -----------------------------------------------------------------
  {
    component: 'runc',
    id: 'CVE-2019-5736',
    aliases: ['GHSA-gxmr-w5mj-v8hh'],
    summary: 'a container process can overwrite the host runc binary through /proc/self/exe and gain root on the host',
    severity: 'high',
    // Unreviewed GHSA without ranges: NVD "runc through 1.0-rc6"; rc7 is the first release with the fix.
    affected: [{ fixed: '1.0.0-rc7' }],
    source: 'https://github.com/advisories/GHSA-gxmr-w5mj-v8hh',
  },
  {
    component: 'runc',
    id: 'CVE-2021-30465',
    aliases: ['GHSA-c3xm-pvg7-gh7r'],
    summary: 'symlink-exchange race on mount destinations lets a container mount host paths (container escape)',
    severity: 'high',
    affected: [{ fixed: '1.0.0-rc95' }],
    source: 'https://github.com/opencontainers/runc/security/advisories/GHSA-c3xm-pvg7-gh7r',
  },
  {
    component: 'runc',
    id: 'CVE-2024-21626',
    aliases: ['GHSA-xr7r-f8xq-vfvv'],
    summary: '"Leaky Vessels": a leaked host file descriptor and process.cwd trickery give a container the host filesystem',
    severity: 'high',
    affected: [{ introduced: '1.0.0-rc93', fixed: '1.1.12' }],
    source: 'https://github.com/opencontainers/runc/security/advisories/GHSA-xr7r-f8xq-vfvv',
  },
  {
    component: 'runc',
    id: 'CVE-2025-31133',
    aliases: ['GHSA-9493-h29p-rfm2'],
    summary: 'container escape via "masked path" abuse: a raced /dev/null turns maskedPaths into an arbitrary mount gadget',
    severity: 'high',
    // runc 1.1.x and earlier are unsupported and were not patched: upgrade to 1.2.8 or later.
    affected: [
      { fixed: '1.2.8' },
      { introduced: '1.3.0-rc.1', fixed: '1.3.3' },
      { introduced: '1.4.0-rc.1', fixed: '1.4.0-rc.3' },
    ],
    source: 'https://github.com/opencontainers/runc/security/advisories/GHSA-9493-h29p-rfm2',
  },
  {
    component: 'runc',
    id: 'CVE-2025-52565',
    aliases: ['GHSA-qw9x-cqr3-wc7r'],
    summary: 'container escape via /dev/console bind-mount races, giving writes to procfs files such as core_pattern',
    severity: 'high',
    affected: [
      { introduced: '1.0.0-rc3', fixed: '1.2.8' },
      { introduced: '1.3.0-rc.1', fixed: '1.3.3' },
      { introduced: '1.4.0-rc.1', fixed: '1.4.0-rc.3' },
    ],
    source: 'https://github.com/opencontainers/runc/security/advisories/GHSA-qw9x-cqr3-wc7r',
  },
  {
    component: 'runc',
    id: 'CVE-2025-52881',
    aliases: ['GHSA-cgrx-mc8f-2prm'],
    summary: 'racing shared mounts redirect runc procfs writes, bypassing LSM labels and enabling host writes (container escape)',
    severity: 'high',
    affected: [
      { fixed: '1.2.8' },
      { introduced: '1.3.0-rc.1', fixed: '1.3.3' },
      { introduced: '1.4.0-rc.1', fixed: '1.4.0-rc.3' },
    ],
    source: 'https://github.com/opencontainers/runc/security/advisories/GHSA-cgrx-mc8f-2prm',
  },

  // --- containerd -----------------------------------------------------------
  {
    component: 'containerd',
    id: 'CVE-2020-15257',
    aliases: ['GHSA-36xw-fx78-c5r4'],
    summary: 'containerd-shim API exposed on an abstract socket to host-network containers, letting them run processes with elevated privileges',
    severity: 'medium',
    affected: [{ fixed: '1.3.9' }, { introduced: '1.4.0', fixed: '1.4.3' }],
    source: 'https://github.com/containerd/containerd/security/advisories/GHSA-36xw-fx78-c5r4',
  },
  {
    component: 'containerd',
    id: 'CVE-2022-23648',
    aliases: ['GHSA-crp2-qrr5-8pq7'],
    summary: 'CRI plugin: a crafted image volume gives read-only access to arbitrary host files and directories',
    severity: 'medium',
    affected: [
      { fixed: '1.4.13' },
      { introduced: '1.5.0', fixed: '1.5.10' },
      { introduced: '1.6.0', fixed: '1.6.1' },
    ],
    source: 'https://github.com/containerd/containerd/security/advisories/GHSA-crp2-qrr5-8pq7',
  },
  {
    component: 'containerd',
    id: 'CVE-2023-25153',
    aliases: ['GHSA-259w-8hf6-59c2'],
    summary: 'OCI image importer reads unbounded files, so a crafted image exhausts host memory',
    severity: 'medium',
    affected: [{ fixed: '1.5.18' }, { introduced: '1.6.0', fixed: '1.6.18' }],
    source: 'https://github.com/containerd/containerd/security/advisories/GHSA-259w-8hf6-59c2',
  },
  {
    component: 'containerd',
    id: 'CVE-2023-25173',
    aliases: ['GHSA-hmfx-3pcx-653p'],
    summary: 'supplementary groups are not set up, so a container user can bypass primary-group restrictions',
    severity: 'medium',
    affected: [{ fixed: '1.5.18' }, { introduced: '1.6.0', fixed: '1.6.18' }],
    source: 'https://github.com/containerd/containerd/security/advisories/GHSA-hmfx-3pcx-653p',
  },
  {
    component: 'containerd',
    id: 'CVE-2024-40635',
    aliases: ['GHSA-265r-hfxg-fhmg'],
    summary: 'a UID:GID above 2^31-1 overflows and the container runs as root (UID 0)',
    severity: 'medium',
    affected: [
      { fixed: '1.6.38' },
      { introduced: '1.7.0-beta.0', fixed: '1.7.27' },
      // The advisory lists the containerd/v2 Go module from "0"; in binary versions that is the 2.x line.
      { introduced: '2.0.0-0', fixed: '2.0.4' },
    ],
    source: 'https://github.com/containerd/containerd/security/advisories/GHSA-265r-hfxg-fhmg',
  },

  // --- Docker Engine (moby) -------------------------------------------------
  {
    component: 'engine',
    id: 'CVE-2024-41110',
    aliases: ['GHSA-v23v-6jw2-98fq'],
    summary: 'authorization plugin (AuthZ) bypass: a request with Content-Length 0 reaches the plugin without its body',
    severity: 'critical',
    // No 24.0.x release carries the fix; the advisory's range for 24.0 runs to 25.0.6.
    affected: [
      { introduced: '19.03.0', fixed: '23.0.15' },
      { introduced: '24.0.0', fixed: '25.0.6' },
      { introduced: '26.0.0', fixed: '26.1.5' },
      { introduced: '27.0.0', fixed: '27.1.1' },
    ],
    source: 'https://github.com/moby/moby/security/advisories/GHSA-v23v-6jw2-98fq',
  },
  {
    component: 'engine',
    id: 'CVE-2024-24557',
    aliases: ['GHSA-xw73-rw38-6vjc'],
    summary: 'classic builder cache poisoning: a crafted image is taken as a cache hit for unrelated build steps',
    severity: 'medium',
    affected: [{ fixed: '24.0.9' }, { introduced: '25.0.0', fixed: '25.0.2' }],
    source: 'https://github.com/moby/moby/security/advisories/GHSA-xw73-rw38-6vjc',
  },
  {
    component: 'engine',
    id: 'CVE-2021-41091',
    aliases: ['GHSA-3fwx-pjgw-3558'],
    summary: 'data directory (/var/lib/docker) permissions let unprivileged host users traverse container files and run setuid programs',
    severity: 'medium',
    affected: [{ fixed: '20.10.9' }],
    source: 'https://github.com/moby/moby/security/advisories/GHSA-3fwx-pjgw-3558',
  },
  {
    component: 'engine',
    id: 'CVE-2024-29018',
    aliases: ['GHSA-mq39-4gv4-mvpx'],
    summary: "containers on 'internal' networks can resolve names through the host's loopback resolver (DNS exfiltration)",
    severity: 'medium',
    affected: [
      { fixed: '23.0.11' },
      // The GHSA range here is 25.0.0..25.0.5 and skips 24.0, but its text lists only 26.0.0-rc3,
      // 25.0.5 and 23.0.11 as patched and the flaw predates 23.0: 24.0.x is affected too, and
      // its fix is 25.0.5, so the range starts at 24.0.0.
      { introduced: '24.0.0', fixed: '25.0.5' },
      { introduced: '26.0.0-rc1', fixed: '26.0.0-rc3' },
    ],
    source: 'https://github.com/moby/moby/security/advisories/GHSA-mq39-4gv4-mvpx',
  },
];

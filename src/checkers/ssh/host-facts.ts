// Turns the probe's sections into HostFacts. No I/O and no security judgement.
//
// A fact that could not be gathered is left undefined and explained in
// `notCollected`, keyed by the HostFacts field it would have filled (see
// HostFactKey): no sshd configuration because palisade is not root is not an
// empty configuration, and a Debian host whose apt lists are missing has
// unknown, not zero, pending updates. Two keys name parts of a field:
// `updates.security` when pending updates are known but could not be told
// apart (Alpine has no security channel; a failed `dnf updateinfo`), and
// `updates.metadataAgeSeconds`, `kernel.newestInstalled`.
import type {
  HostFacts,
  InstalledPackage,
  NotCollected,
  OsFamily,
  PackageFormat,
  PendingUpdate,
} from '../../model/facts.js';
import { compareVersions } from '../../lib/versions/index.js';
import { parseApkInstalled, parseApkVersion } from './parsers/apk.js';
import { parseAptSimulation } from './parsers/apt.js';
import { autoUpdatesFor, parseAutoUpdateSignals } from './parsers/auto-updates.js';
import { parseDnfCheckUpdate, parseDnfUpdateinfo } from './parsers/dnf.js';
import { parseDpkgQuery } from './parsers/dpkg.js';
import { parseIptables, parseNftRuleset, summariseFirewall } from './parsers/firewall.js';
import type { InputChain, IptablesInput } from './parsers/firewall.js';
import { classifySudoRefusal, parseId, parseSudoAttempt, parseUname, parseVirtualization } from './parsers/identity.js';
import { newestKernel, parseKernels } from './parsers/kernels.js';
import { lines } from './parsers/lines.js';
import { metadataAge, parseMetadataTimes } from './parsers/metadata-age.js';
import type { MetadataTimes } from './parsers/metadata-age.js';
import { osIdentity, parseOsRelease } from './parsers/os-release.js';
import type { OsIdentity } from './parsers/os-release.js';
import { rebootVerdict, parseRebootSignals } from './parsers/reboot.js';
import { parseRpmQa } from './parsers/rpm.js';
import { parseListening } from './parsers/sockets.js';
import { parseSshdConfig } from './parsers/sshd.js';
import { parseSysctl, sysctlFlag } from './parsers/sysctl.js';
import { parseZypperPatchInfo, parseZypperPatches, parseZypperUpdates } from './parsers/zypper.js';
import { PROBE_COMMAND_TIMEOUT_SECONDS, PROBE_SECTION_MAX_BYTES, WORLD_WRITABLE_MAX, probeSection } from './probe.js';
import type { ProbeSectionName } from './probe.js';
import type { ProbeOutput, ProbeSection } from './sections.js';

/** Keys of `HostFacts.notCollected`: the (possibly dotted) HostFacts field that is missing. */
export type HostFactKey =
  | 'os'
  | 'kernel'
  | 'kernel.newestInstalled'
  | 'virtualization'
  | 'privilege'
  | 'packages'
  | 'updates'
  | 'updates.security'
  | 'updates.metadataAgeSeconds'
  | 'rebootRequired'
  | 'autoUpdates'
  | 'firewall'
  | 'listening'
  | 'ipForwarding'
  | 'sshd'
  | 'worldWritable'
  | 'emptyPasswordAccounts';

/** The inventory's view of the host. */
export interface HostTarget {
  name: string;
  address: string;
  port: number;
  segment?: string;
  tags: readonly string[];
}

type Privilege = HostFacts['privilege'];
type Result = { ok: true; section: ProbeSection } | { ok: false; why: NotCollected };

const PACKAGE_FORMAT: Readonly<Record<OsFamily, PackageFormat | undefined>> = {
  debian: 'dpkg',
  rhel: 'rpm',
  suse: 'rpm',
  alpine: 'apk',
  unknown: undefined,
};

const PACKAGE_SECTION: Readonly<Record<PackageFormat, ProbeSectionName>> = {
  dpkg: 'packages-dpkg',
  rpm: 'packages-rpm',
  apk: 'packages-apk',
};

// What exit 127 means for each section: the sections test for their tool and
// exit 127 themselves when it is absent.
const MISSING: Partial<Record<ProbeSectionName, string>> = {
  sudo: 'sudo is not installed',
  'packages-dpkg': 'dpkg-query is not installed',
  'packages-rpm': 'rpm is not installed',
  'packages-apk': 'the apk database /lib/apk/db/installed is missing',
  'updates-apt': 'apt-get is not installed',
  'updates-dnf': 'neither dnf nor yum is installed',
  'updates-dnf-security': 'neither dnf nor yum is installed',
  'updates-zypper': 'zypper is not installed',
  'updates-zypper-patches': 'zypper is not installed',
  'updates-zypper-patch-info': 'zypper is not installed',
  'updates-apk': 'apk is not installed',
  'firewall-nft': 'nft is not installed',
  'firewall-iptables': 'iptables is not installed',
  listening: 'neither ss nor netstat is installed',
  sshd: 'no sshd binary in /usr/sbin, /usr/local/sbin, /sbin or /usr/bin',
  'world-writable': 'find is not installed',
  'empty-passwords': 'awk is not installed',
};

const MAX_DETAIL = 300;

function firstLine(text: string): string {
  const line = lines(text).find((l) => l.trim() !== '') ?? '';
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL)}...` : line.trim();
}

function notCollected(reason: NotCollected['reason'], detail: string): NotCollected {
  return { reason, detail };
}

class Builder {
  readonly notCollected: Record<string, NotCollected> = {};
  readonly privilege: Privilege;
  /** Why root sections were skipped, when they were. */
  private readonly skippedBecause: string;

  constructor(private readonly probe: ProbeOutput) {
    const { privilege, skippedBecause } = this.readPrivilege();
    this.privilege = privilege;
    this.skippedBecause = skippedBecause;
  }

  miss(key: HostFactKey, why: NotCollected): undefined {
    this.notCollected[key] ??= why;
    return undefined;
  }

  /** A section's output when it ran to completion with a success exit code, else why not. */
  section(name: ProbeSectionName): Result {
    const s = this.probe.sections.get(name);
    if (!s) {
      const ended = this.probe.finished ? '' : ' (the probe output ended early)';
      return { ok: false, why: notCollected('failed', `${name}: no such section in the probe output${ended}`) };
    }
    if (s.how === 'skipped') return { ok: false, why: notCollected('needs-root', `${name}: ${this.skippedBecause}`) };
    if (s.rc === undefined) {
      return { ok: false, why: notCollected('failed', `${name}: output cut off before the section ended`) };
    }
    if (s.how === 'sudo' && s.rc !== 0 && classifySudoRefusal(s.stderr)) {
      return { ok: false, why: notCollected('needs-root', `${name}: sudo refused: ${firstLine(s.stderr)}`) };
    }
    if (s.rc === 127) {
      return { ok: false, why: notCollected('command-missing', `${name}: ${MISSING[name] ?? (firstLine(s.stderr) || 'command not found')}`) };
    }
    if (s.rc === 124) {
      return { ok: false, why: notCollected('failed', `${name}: timed out after ${PROBE_COMMAND_TIMEOUT_SECONDS} s`) };
    }
    const bytes = Buffer.byteLength(s.output) + Buffer.byteLength(s.stderr);
    if (s.rc === 141 || bytes >= PROBE_SECTION_MAX_BYTES - 1024) {
      return { ok: false, why: notCollected('failed', `${name}: output exceeded ${PROBE_SECTION_MAX_BYTES} bytes and was cut`) };
    }
    const ok = [0, ...(probeSection(name)?.okExitCodes ?? [])];
    if (!ok.includes(s.rc)) {
      const said = firstLine(s.stderr) || firstLine(s.output);
      return { ok: false, why: notCollected('failed', `${name}: exited ${s.rc}${said ? `: ${said}` : ''}`) };
    }
    return { ok: true, section: s };
  }

  private readPrivilege(): { privilege: Privilege; skippedBecause: string } {
    const idSection = this.probe.sections.get('id');
    const sudoSection = this.probe.sections.get('sudo');
    const id = idSection?.rc === 0 ? parseId(idSection.output) : undefined;
    const attempt = sudoSection ? parseSudoAttempt(sudoSection.output) : undefined;
    const root = id?.uid === 0 || attempt === 'root';

    let sudo: Privilege['sudo'] = 'not-configured';
    let skippedBecause = 'not root, and sudo is not enabled for this host in the inventory';
    if (attempt === 'missing') {
      sudo = 'denied';
      skippedBecause = 'not root, and sudo is not installed on the host';
    } else if (attempt === 'tried' && sudoSection) {
      if (sudoSection.rc === 0) {
        sudo = 'ok';
        skippedBecause = 'sudo -n true succeeded but the section was skipped';
      } else {
        sudo = classifySudoRefusal(sudoSection.stderr) ?? 'denied';
        const said = firstLine(sudoSection.stderr);
        skippedBecause =
          sudo === 'password-required'
            ? 'not root, and sudo -n needs a password: allow the probe NOPASSWD'
            : sudo === 'requiretty'
              ? 'not root, and sudo requires a tty (Defaults requiretty): lift it for this user'
              : `not root, and sudo -n true was refused${said ? `: ${said}` : ''}`;
      }
    } else if (!sudoSection) {
      skippedBecause = 'not root, and the sudo check did not run';
    }
    if (!id && !root) this.miss('privilege', notCollected('failed', 'id: the login user could not be determined'));
    return { privilege: { root, sudo }, skippedBecause };
  }
}

function buildOs(b: Builder): OsIdentity {
  const unknown: OsIdentity = { id: '', idLike: [], versionId: '', prettyName: '', family: 'unknown' };
  const r = b.section('os-release');
  if (!r.ok) {
    b.miss('os', r.why);
    return unknown;
  }
  const identity = osIdentity(parseOsRelease(r.section.output));
  if (identity.id === '') {
    b.miss('os', notCollected('failed', 'os-release: no ID field'));
    return unknown;
  }
  return identity;
}

function buildKernel(b: Builder): HostFacts['kernel'] {
  const r = b.section('uname');
  const uname = r.ok ? parseUname(r.section.output) : undefined;
  if (!r.ok) b.miss('kernel', r.why);
  else if (!uname) b.miss('kernel', notCollected('failed', 'uname: unrecognised output'));
  const kernel: HostFacts['kernel'] = { release: uname?.release ?? '', architecture: uname?.architecture ?? '' };

  const k = b.section('kernels');
  if (!k.ok) {
    b.miss('kernel.newestInstalled', k.why);
  } else {
    const newest = newestKernel(parseKernels(k.section.output));
    if (newest) kernel.newestInstalled = newest;
    else {
      b.miss(
        'kernel.newestInstalled',
        notCollected('failed', 'kernels: no versioned kernel in /boot and no module tree in /lib/modules (a container, or a kernel booted from outside the guest)'),
      );
    }
  }
  return kernel;
}

function buildVirtualization(b: Builder): string | undefined {
  const r = b.section('virtualization');
  if (!r.ok) return b.miss('virtualization', r.why);
  return (
    parseVirtualization(r.section.output) ??
    b.miss('virtualization', notCollected('failed', 'virtualization: systemd-detect-virt is missing and the DMI names match no known hypervisor'))
  );
}

function buildPackages(b: Builder, family: OsFamily): InstalledPackage[] | undefined {
  const format = PACKAGE_FORMAT[family];
  if (!format) return b.miss('packages', notCollected('unsupported-os', 'packages: unrecognised OS family'));
  const name = PACKAGE_SECTION[format];
  const r = b.section(name);
  if (!r.ok) return b.miss('packages', r.why);
  const parse = format === 'dpkg' ? parseDpkgQuery : format === 'rpm' ? parseRpmQa : parseApkInstalled;
  const packages = parse(r.section.output);
  if (packages.length === 0) return b.miss('packages', notCollected('failed', `${name}: no installed package could be read`));
  return packages;
}

/** Newest installed version per `name` and per `name.arch`. */
function installedIndex(packages: readonly InstalledPackage[], format: PackageFormat): Map<string, string> {
  const index = new Map<string, string>();
  const keep = (key: string, version: string): void => {
    const current = index.get(key);
    if (current === undefined) {
      index.set(key, version);
      return;
    }
    try {
      if (compareVersions(format, version, current) > 0) index.set(key, version);
    } catch {
      // A version the package manager would refuse cannot be the newest.
    }
  };
  for (const p of packages) {
    keep(p.name, p.version);
    keep(`${p.name}.${p.arch}`, p.version);
  }
  return index;
}

function debianUpdates(b: Builder): PendingUpdate[] | undefined {
  const r = b.section('updates-apt');
  if (!r.ok) return b.miss('updates', r.why);
  // The summary line proves apt got as far as computing the upgrade.
  if (!/^\d+ upgraded, \d+ newly installed/m.test(r.section.output)) {
    return b.miss('updates', notCollected('failed', `updates-apt: no upgrade summary in apt-get's output: ${firstLine(r.section.stderr)}`.trim()));
  }
  return parseAptSimulation(r.section.output);
}

function rhelUpdates(b: Builder, packages: readonly InstalledPackage[] | undefined): PendingUpdate[] | undefined {
  const r = b.section('updates-dnf');
  if (!r.ok) return b.miss('updates', r.why);
  const upgrades = parseDnfCheckUpdate(r.section.output);
  if (r.section.rc === 100 && upgrades.length === 0) {
    return b.miss('updates', notCollected('failed', 'updates-dnf: check-update reported updates but none could be read'));
  }
  const installed = installedIndex(packages ?? [], 'rpm');
  const pending: PendingUpdate[] = upgrades.map((u) => ({
    name: u.name,
    installed: installed.get(`${u.name}.${u.arch}`) ?? installed.get(u.name) ?? '',
    candidate: u.candidate,
    security: false,
    origin: u.repository,
  }));

  const s = b.section('updates-dnf-security');
  if (!s.ok) {
    b.miss('updates.security', s.why);
    return pending;
  }
  // An advisory names the build it shipped, often older than today's
  // candidate, so advisories match upgrades on name and architecture.
  const advisories = new Map<string, string[]>();
  for (const entry of parseDnfUpdateinfo(s.section.output)) {
    const list = advisories.get(`${entry.name}.${entry.arch}`) ?? [];
    if (!list.includes(entry.advisory)) list.push(entry.advisory);
    advisories.set(`${entry.name}.${entry.arch}`, list);
  }
  return pending.map((p, i) => {
    const ids = advisories.get(`${p.name}.${upgrades[i]?.arch ?? ''}`);
    return ids ? { ...p, security: true, origin: ids.join(',') } : p;
  });
}

function suseUpdates(b: Builder): PendingUpdate[] | undefined {
  const r = b.section('updates-zypper');
  if (!r.ok) return b.miss('updates', r.why);
  const updates = parseZypperUpdates(r.section.output);
  const pending: PendingUpdate[] = updates.map((u) => ({
    name: u.name,
    installed: u.installed,
    candidate: u.candidate,
    security: false,
    origin: u.repository,
  }));

  const p = b.section('updates-zypper-patches');
  if (!p.ok) {
    b.miss('updates.security', p.why);
    return pending;
  }
  const i = b.section('updates-zypper-patch-info');
  if (!i.ok) {
    b.miss('updates.security', i.why);
    return pending;
  }
  const needed = parseZypperPatches(p.section.output).filter((x) => x.category === 'security' && x.status === 'needed');
  const infos = new Map(parseZypperPatchInfo(i.section.output).map((x) => [x.patch, x]));
  const unexplained = needed.filter((x) => !infos.has(x.name));
  if (unexplained.length > 0) {
    b.miss(
      'updates.security',
      notCollected('failed', `updates-zypper-patch-info: no package list for ${unexplained.length} of ${needed.length} security patches (${unexplained.map((x) => x.name).slice(0, 5).join(', ')})`),
    );
  }
  const byPackage = new Map<string, string[]>();
  for (const patch of needed) {
    for (const pkg of infos.get(patch.name)?.packages ?? []) {
      for (const key of pkg.arch ? [`${pkg.name}.${pkg.arch}`] : [pkg.name]) {
        const list = byPackage.get(key) ?? [];
        if (!list.includes(patch.name)) list.push(patch.name);
        byPackage.set(key, list);
      }
    }
  }
  return pending.map((u, index) => {
    const arch = updates[index]?.arch ?? '';
    const patches = byPackage.get(`${u.name}.${arch}`) ?? byPackage.get(u.name);
    return patches ? { ...u, security: true, origin: patches.join(',') } : u;
  });
}

function alpineUpdates(b: Builder): PendingUpdate[] | undefined {
  const r = b.section('updates-apk');
  if (!r.ok) return b.miss('updates', r.why);
  b.miss(
    'updates.security',
    notCollected('unsupported-os', 'updates-apk: Alpine publishes no security channel apk can query; pending updates are not classified'),
  );
  return parseApkVersion(r.section.output).map((u) => ({ ...u, security: false }));
}

function buildUpdates(
  b: Builder,
  family: OsFamily,
  packages: readonly InstalledPackage[] | undefined,
): HostFacts['updates'] {
  if (family === 'unknown') return b.miss('updates', notCollected('unsupported-os', 'updates: unrecognised OS family'));

  const m = b.section('metadata-age');
  let times: MetadataTimes | undefined;
  if (m.ok) times = parseMetadataTimes(m.section.output);
  else b.miss('updates.metadataAgeSeconds', m.why);
  const age = times ? metadataAge(times, family) : undefined;
  // apt, apk and zypper --no-refresh answer "nothing to upgrade" when they have
  // no lists at all; dnf -C fails instead, so its own exit code tells.
  if (age && age.files === 0 && family !== 'rhel') {
    return b.miss(
      'updates',
      notCollected('failed', 'metadata-age: the host has no package metadata (lists or repository cache); refresh it there before pending updates can be known'),
    );
  }

  const pending =
    family === 'debian'
      ? debianUpdates(b)
      : family === 'rhel'
        ? rhelUpdates(b, packages)
        : family === 'suse'
          ? suseUpdates(b)
          : alpineUpdates(b);
  if (!pending) return undefined;

  const updates: NonNullable<HostFacts['updates']> = { pending };
  if (age?.ageSeconds !== undefined) updates.metadataAgeSeconds = age.ageSeconds;
  else if (age?.files === 0) {
    b.miss('updates.metadataAgeSeconds', notCollected('failed', 'metadata-age: no repository metadata at the usual cache paths'));
  } else if (times) {
    b.miss('updates.metadataAgeSeconds', notCollected('failed', 'metadata-age: the host did not report its clock'));
  }
  return updates;
}

function buildReboot(b: Builder, family: OsFamily): HostFacts['rebootRequired'] {
  const r = b.section('reboot-required');
  if (!r.ok) return b.miss('rebootRequired', r.why);
  const verdict = rebootVerdict(family, parseRebootSignals(r.section.output));
  if (!verdict.known) return b.miss('rebootRequired', notCollected(verdict.reason, `reboot-required: ${verdict.detail}`));
  return { required: verdict.required, packages: verdict.packages };
}

function buildAutoUpdates(b: Builder, family: OsFamily): HostFacts['autoUpdates'] {
  const r = b.section('auto-updates');
  if (!r.ok) return b.miss('autoUpdates', r.why);
  return (
    autoUpdatesFor(family, parseAutoUpdateSignals(r.section.output)) ??
    b.miss('autoUpdates', notCollected('unsupported-os', 'auto-updates: unrecognised OS family'))
  );
}

function buildFirewall(b: Builder): HostFacts['firewall'] {
  const nft = b.section('firewall-nft');
  const ipt = b.section('firewall-iptables');
  const results = [nft, ipt];
  const usable = (r: Result): boolean => r.ok || r.why.reason === 'command-missing';
  if (!results.every(usable)) {
    const failed = results.find((r): r is Extract<Result, { ok: false }> => !r.ok && r.why.reason !== 'command-missing');
    return failed ? b.miss('firewall', failed.why) : undefined;
  }
  if (!nft.ok && !ipt.ok) {
    return b.miss('firewall', notCollected('command-missing', 'firewall: neither nft nor iptables is installed, so the ruleset cannot be read'));
  }
  let chains: InputChain[] | undefined;
  if (nft.ok) {
    chains = parseNftRuleset(nft.section.output);
    if (!chains) return b.miss('firewall', notCollected('failed', 'firewall-nft: unrecognised nft output'));
  }
  let iptables: IptablesInput | undefined;
  if (ipt.ok) {
    iptables = parseIptables(ipt.section.output);
    if (!iptables.input) return b.miss('firewall', notCollected('failed', 'firewall-iptables: no INPUT policy in iptables -S output'));
  }
  return summariseFirewall(chains, iptables);
}

function buildListening(b: Builder): HostFacts['listening'] {
  const r = b.section('listening');
  if (!r.ok) return b.miss('listening', r.why);
  const sockets = parseListening(r.section.output);
  if (sockets.length === 0 && lines(r.section.output).some((l) => /^(tcp|udp)/.test(l.trim()))) {
    return b.miss('listening', notCollected('failed', 'listening: unrecognised ss/netstat output'));
  }
  return sockets;
}

function buildIpForwarding(b: Builder): HostFacts['ipForwarding'] {
  const r = b.section('ip-forwarding');
  if (!r.ok) return b.miss('ipForwarding', r.why);
  const values = parseSysctl(r.section.output);
  const ipv4 = sysctlFlag(values['net.ipv4.ip_forward']);
  const ipv6Absent = lines(r.section.output).some((l) => l.trim() === 'ipv6 absent');
  const ipv6 = sysctlFlag(values['net.ipv6.conf.all.forwarding']) ?? (ipv6Absent ? false : undefined);
  if (ipv4 === undefined || ipv6 === undefined) {
    return b.miss('ipForwarding', notCollected('failed', 'ip-forwarding: /proc/sys/net forwarding switches could not be read'));
  }
  return { ipv4, ipv6 };
}

function buildSshd(b: Builder): HostFacts['sshd'] {
  const r = b.section('sshd');
  if (!r.ok) return b.miss('sshd', r.why);
  const config = parseSshdConfig(r.section.output);
  if (Object.keys(config).length === 0) return b.miss('sshd', notCollected('failed', 'sshd: sshd -T printed no configuration'));
  return config;
}

function buildWorldWritable(b: Builder): HostFacts['worldWritable'] {
  const r = b.section('world-writable');
  if (!r.ok) return b.miss('worldWritable', r.why);
  const all = lines(r.section.output);
  const paths = all.filter((l) => l.startsWith('/'));
  // A list cut at the bound is long enough to act on; otherwise find must have finished.
  if (paths.length >= WORLD_WRITABLE_MAX) return paths.slice(0, WORLD_WRITABLE_MAX);
  const exit = all.map((l) => /^find-exit (\d+)$/.exec(l)?.[1]).find((x) => x !== undefined);
  if (exit === undefined) return b.miss('worldWritable', notCollected('failed', 'world-writable: find did not report its exit status'));
  if (exit !== '0') {
    const why = exit === '124' ? `timed out after ${PROBE_COMMAND_TIMEOUT_SECONDS} s` : `find exited ${exit}: ${firstLine(r.section.stderr)}`.trim();
    return b.miss('worldWritable', notCollected('failed', `world-writable: ${why}`));
  }
  return paths;
}

function buildEmptyPasswords(b: Builder): HostFacts['emptyPasswordAccounts'] {
  const r = b.section('empty-passwords');
  if (!r.ok) return b.miss('emptyPasswordAccounts', r.why);
  return lines(r.section.output)
    .map((l) => l.trim())
    .filter((l) => /^[A-Za-z0-9_.][A-Za-z0-9_.$-]{0,63}$/.test(l));
}

export function buildHostFacts(probe: ProbeOutput, target: HostTarget): HostFacts {
  const b = new Builder(probe);
  const os = buildOs(b);
  const kernel = buildKernel(b);
  const virtualization = buildVirtualization(b);
  const packageFormat = PACKAGE_FORMAT[os.family];
  const packages = buildPackages(b, os.family);
  const updates = buildUpdates(b, os.family, packages);

  const facts: HostFacts = {
    name: target.name,
    address: target.address,
    port: target.port,
    ...(target.segment !== undefined ? { segment: target.segment } : {}),
    tags: [...target.tags],
    os,
    kernel,
    privilege: b.privilege,
    notCollected: b.notCollected,
  };
  const optional: Partial<HostFacts> = {
    virtualization,
    packageFormat,
    packages,
    updates,
    rebootRequired: buildReboot(b, os.family),
    autoUpdates: buildAutoUpdates(b, os.family),
    firewall: buildFirewall(b),
    listening: buildListening(b),
    ipForwarding: buildIpForwarding(b),
    sshd: buildSshd(b),
    worldWritable: buildWorldWritable(b),
    emptyPasswordAccounts: buildEmptyPasswords(b),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(facts, { [key]: value });
  }
  return facts;
}

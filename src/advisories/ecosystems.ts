// OSV ecosystem names for the distributions palisade scans, and which
// advisory entries apply to a host. Names follow the OSV schema's ecosystem
// list (ossf/osv-schema ecosystems.json): `Debian:12`, `Ubuntu:22.04:LTS`,
// `Alpine:v3.20`, `Rocky Linux:9`, `AlmaLinux:9`, `Red Hat:<CPE>`,
// `SUSE:<product>`, `openSUSE:<release>`.
import type { VersionFormat } from '../lib/versions/index.js';

export const OSV_FAMILIES = ['Debian', 'Ubuntu', 'Alpine', 'Rocky Linux', 'AlmaLinux', 'Red Hat', 'SUSE', 'openSUSE'] as const;
export type OsvFamily = (typeof OSV_FAMILIES)[number];

export interface FamilyTraits {
  format: VersionFormat;
  /**
   * Which installed name an advisory's `package.name` is: the source package
   * (Debian and Ubuntu source packages, Alpine origins, SUSE source RPMs), or
   * either a binary or a source RPM (Red Hat by its schema entry; Rocky and
   * Alma list binary RPMs in practice although their schema entries say source).
   */
  names: 'source' | 'binary-or-source';
}

export const FAMILY_TRAITS: Readonly<Record<OsvFamily, FamilyTraits>> = {
  Debian: { format: 'dpkg', names: 'source' },
  Ubuntu: { format: 'dpkg', names: 'source' },
  Alpine: { format: 'apk', names: 'source' },
  'Rocky Linux': { format: 'rpm', names: 'binary-or-source' },
  AlmaLinux: { format: 'rpm', names: 'binary-or-source' },
  'Red Hat': { format: 'rpm', names: 'binary-or-source' },
  SUSE: { format: 'rpm', names: 'source' },
  openSUSE: { format: 'rpm', names: 'source' },
};

/** The base ecosystem (`Debian` for `Debian:12`), which is also the folder of OSV's `all.zip` for it. */
export function ecosystemFamily(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

export function isOsvFamily(name: string): name is OsvFamily {
  return (OSV_FAMILIES as readonly string[]).includes(name);
}

/** The traits of a supported ecosystem, undefined for any other. */
export function familyTraits(ecosystem: string): FamilyTraits | undefined {
  const family = ecosystemFamily(ecosystem);
  return isOsvFamily(family) ? FAMILY_TRAITS[family] : undefined;
}

function majorMinor(versionId: string): [string, string] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(versionId);
  return m ? [m[1] as string, m[2] as string] : undefined;
}

function major(versionId: string): string | undefined {
  return /^(\d+)(?:\.\d+)*$/.exec(versionId)?.[1];
}

/** Ubuntu LTS releases: every April release of an even year since 8.04, and 6.06 (Dapper). */
function isUbuntuLts(version: [string, string]): boolean {
  const [year, month] = version;
  if (year === '6' && month === '06') return true;
  return month === '04' && Number(year) % 2 === 0 && Number(year) >= 8;
}

/** SLE's `VERSION_ID` (`15.5`) as its marketing release (`15 SP5`). */
function sleRelease(versionId: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(versionId);
  if (!m) return undefined;
  return m[2] === undefined || m[2] === '0' ? (m[1] as string) : `${m[1]} SP${m[2]}`;
}

const SLE_PRODUCTS: Readonly<Record<string, string>> = {
  sles: 'Linux Enterprise Server',
  sles_sap: 'Linux Enterprise Server for SAP Applications',
  sled: 'Linux Enterprise Desktop',
};

/**
 * The OSV ecosystem for a host's os-release `ID` and `VERSION_ID`, or
 * undefined when OSV has none for it (Fedora, Amazon Linux, CentOS, Debian
 * testing without a `VERSION_ID`, Alpine edge...).
 *
 * For RHEL the answer is the product stream, `Red Hat:enterprise_linux:9`:
 * Red Hat advisories name the repository stream after it
 * (`Red Hat:enterprise_linux:9::baseos`, `::appstream`), and
 * {@link ecosystemMatches} matches them all. For SLE it is the product
 * (`SUSE:Linux Enterprise Server 15 SP5`); see {@link ecosystemMatches} for the
 * module products SUSE files most packages under.
 */
export function ecosystemFor(osId: string, versionId: string): string | undefined {
  const id = osId.trim().toLowerCase();
  const version = versionId.trim();
  switch (id) {
    case 'debian': {
      const m = major(version);
      return m === undefined ? undefined : `Debian:${m}`;
    }
    case 'ubuntu': {
      const mm = majorMinor(version);
      if (!mm) return undefined;
      const release = `${mm[0]}.${mm[1].padStart(2, '0')}`;
      return isUbuntuLts(mm) ? `Ubuntu:${release}:LTS` : `Ubuntu:${release}`;
    }
    case 'alpine': {
      const mm = majorMinor(version);
      return mm ? `Alpine:v${mm[0]}.${mm[1]}` : undefined;
    }
    case 'rocky': {
      const m = major(version);
      return m === undefined ? undefined : `Rocky Linux:${m}`;
    }
    case 'almalinux': {
      const m = major(version);
      return m === undefined ? undefined : `AlmaLinux:${m}`;
    }
    case 'rhel': {
      const m = major(version);
      return m === undefined ? undefined : `Red Hat:enterprise_linux:${m}`;
    }
    case 'sles':
    case 'sles_sap':
    case 'sled': {
      const release = sleRelease(version);
      return release === undefined ? undefined : `SUSE:${SLE_PRODUCTS[id]} ${release}`;
    }
    case 'opensuse-leap': {
      const mm = majorMinor(version);
      return mm ? `openSUSE:Leap ${mm[0]}.${mm[1]}` : undefined;
    }
    case 'opensuse-tumbleweed':
      return 'openSUSE:Tumbleweed';
    default:
      return undefined;
  }
}

const SLE_TARGET = /^SUSE:Linux Enterprise .+ (\d+(?: SP\d+)?)$/;

/**
 * Whether an advisory entry's ecosystem (`candidate`) applies to a host whose
 * ecosystem is `target` (from {@link ecosystemFor}). Exact names match. Beyond
 * that:
 * - Red Hat: `Red Hat:enterprise_linux:9` matches every repository stream of
 *   that product (`...:9::baseos`, `...:9::appstream`, `...:9::crb`).
 * - SUSE: SLE hosts take most packages from module products, and SUSE files
 *   advisories under the module (`SUSE:Linux Enterprise Module for Basesystem
 *   15 SP5`) or a support-phase name (`...Server 15 SP5-LTSS`); so an SLE
 *   target matches every `SUSE:Linux Enterprise ...` product of the same
 *   release and service pack. They are built from one code stream.
 */
export function ecosystemMatches(target: string, candidate: string): boolean {
  if (candidate === target) return true;
  const family = ecosystemFamily(target);
  if (family === 'Red Hat') return candidate.startsWith(`${target}::`);
  if (family === 'SUSE') {
    const release = SLE_TARGET.exec(target)?.[1];
    if (release === undefined) return false;
    // `release` is digits, spaces and "SP": nothing to escape.
    return new RegExp(`^SUSE:Linux Enterprise .+ ${release}(?:-[A-Za-z]+)?$`).test(candidate);
  }
  return false;
}

/**
 * A string every advisory entry matching `target` contains, quoted as in JSON
 * (`"Debian:12"`), so archives can skip records without parsing them.
 */
export function ecosystemNeedle(target: string): string {
  const family = ecosystemFamily(target);
  if (family === 'Red Hat') return `"${target}`;
  if (family === 'SUSE' && SLE_TARGET.test(target)) return '"SUSE:Linux Enterprise ';
  return `"${target}"`;
}

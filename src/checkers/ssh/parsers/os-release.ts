// os-release(5): KEY=value lines, values optionally quoted with shell-like
// escapes. The file is data: it is parsed, never sourced.
import type { OsFamily } from '../../../model/facts.js';
import { lines } from './lines.js';

const KEY = /^([A-Z][A-Z0-9_]*)=(.*)$/;

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.startsWith('"')) {
    let out = '';
    for (let i = 1; i < value.length; i++) {
      const c = value[i] as string;
      if (c === '\\' && i + 1 < value.length && '"\\$`'.includes(value[i + 1] as string)) {
        out += value[i + 1];
        i++;
      } else if (c === '"') {
        return out;
      } else {
        out += c;
      }
    }
    return out;
  }
  if (value.startsWith("'")) {
    const end = value.indexOf("'", 1);
    return end === -1 ? value.slice(1) : value.slice(1, end);
  }
  return value;
}

/** The file's assignments; comments, blank lines and junk are skipped, the first assignment of a key wins. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const match = KEY.exec(line.trim());
    if (!match) continue;
    const key = match[1] as string;
    if (!Object.hasOwn(out, key)) out[key] = unquote(match[2] as string);
  }
  return out;
}

const FAMILY_BY_ID: Readonly<Record<string, OsFamily>> = {
  debian: 'debian',
  ubuntu: 'debian',
  raspbian: 'debian',
  devuan: 'debian',
  linuxmint: 'debian',
  pop: 'debian',
  kali: 'debian',
  rhel: 'rhel',
  redhat: 'rhel',
  centos: 'rhel',
  fedora: 'rhel',
  rocky: 'rhel',
  almalinux: 'rhel',
  ol: 'rhel',
  amzn: 'rhel',
  cloudlinux: 'rhel',
  eurolinux: 'rhel',
  virtuozzo: 'rhel',
  scientific: 'rhel',
  alpine: 'alpine',
  suse: 'suse',
  sles: 'suse',
  sles_sap: 'suse',
  sled: 'suse',
  'sle-micro': 'suse',
  opensuse: 'suse',
  'opensuse-leap': 'suse',
  'opensuse-tumbleweed': 'suse',
  'opensuse-microos': 'suse',
};

/** The family from ID, then from each ID_LIKE entry in order. */
export function osFamily(id: string, idLike: readonly string[]): OsFamily {
  for (const candidate of [id, ...idLike]) {
    const family = FAMILY_BY_ID[candidate.toLowerCase()];
    if (family) return family;
  }
  return 'unknown';
}

export interface OsIdentity {
  id: string;
  idLike: string[];
  versionId: string;
  prettyName: string;
  codename?: string;
  family: OsFamily;
}

export function osIdentity(release: Record<string, string>): OsIdentity {
  const id = (release['ID'] ?? '').toLowerCase();
  const idLike = (release['ID_LIKE'] ?? '').split(/\s+/).filter((s) => s !== '').map((s) => s.toLowerCase());
  const codename = release['VERSION_CODENAME'] || release['UBUNTU_CODENAME'] || undefined;
  return {
    id,
    idLike,
    versionId: release['VERSION_ID'] ?? '',
    prettyName: release['PRETTY_NAME'] ?? release['NAME'] ?? '',
    ...(codename ? { codename } : {}),
    family: osFamily(id, idLike),
  };
}

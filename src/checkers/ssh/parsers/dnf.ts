// dnf (and yum on EL7/Amazon Linux 2):
// - `updateinfo list --security`: `RHSA-2024:3061 Important/Sec. openssl-libs-1:3.0.7-28.el9_4.x86_64`,
//   naming the version the advisory shipped (often older than today's candidate);
// - `check-update`: `openssl-libs.x86_64  1:3.0.7-28.el9_4  baseos`, a long
//   name sometimes alone on its line with version and repository on the next.
import { fields, lines, splitNameArch } from './lines.js';
import { parseNevra } from './rpm.js';

export interface DnfAdvisoryEntry {
  advisory: string;
  /** `Important`, `Moderate`... as printed; empty for dnf's `security` type without severity. */
  severity: string;
  name: string;
  arch: string;
  /** The version the advisory fixed, `[epoch:]version-release`. */
  version: string;
}

const ADVISORY = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9:._-]+$/;

export function parseDnfUpdateinfo(text: string): DnfAdvisoryEntry[] {
  const out: DnfAdvisoryEntry[] = [];
  for (const line of lines(text)) {
    const parts = fields(line);
    if (parts.length < 3) continue;
    const [advisory, kind] = parts as [string, string];
    if (!ADVISORY.test(advisory)) continue;
    const isSecurity = /\/sec\.?$/i.test(kind) || kind.toLowerCase() === 'security';
    if (!isSecurity) continue;
    const nevra = parseNevra(parts[parts.length - 1] as string);
    if (!nevra) continue;
    out.push({
      advisory,
      severity: kind.includes('/') ? (kind.split('/', 1)[0] as string) : '',
      name: nevra.name,
      arch: nevra.arch,
      version: nevra.version,
    });
  }
  return out;
}

export interface DnfUpgrade {
  name: string;
  arch: string;
  candidate: string;
  repository: string;
}

const EVR = /^(\d+:)?[A-Za-z0-9_.+~^]+-[A-Za-z0-9_.+~^]+$/;

/** Upgrades listed before the `Obsoleting Packages` block. */
export function parseDnfCheckUpdate(text: string): DnfUpgrade[] {
  const out: DnfUpgrade[] = [];
  let pendingName: { name: string; arch: string } | undefined;
  for (const line of lines(text)) {
    if (/^Obsoleting Packages/i.test(line.trim())) break;
    const parts = fields(line);
    let nameArch: string | undefined;
    let rest: string[];
    if (parts.length === 1 && !/^\s/.test(line)) {
      const split = splitNameArch(parts[0] as string);
      pendingName = split.arch ? { name: split.name, arch: split.arch } : undefined;
      continue;
    }
    if (parts.length === 2 && pendingName && /^\s/.test(line)) {
      rest = parts;
    } else if (parts.length === 3) {
      nameArch = parts[0];
      rest = parts.slice(1);
    } else {
      pendingName = undefined;
      continue;
    }
    const target = nameArch !== undefined ? splitNameArch(nameArch) : pendingName;
    pendingName = undefined;
    if (!target?.arch) continue;
    const [candidate, repository] = rest as [string, string];
    if (!EVR.test(candidate)) continue;
    out.push({ name: target.name, arch: target.arch, candidate, repository });
  }
  return out;
}

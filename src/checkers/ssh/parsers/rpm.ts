// `rpm -qa --qf '%{EPOCH}\t%{NAME}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'`,
// and the NEVRA strings dnf prints.
import type { InstalledPackage } from '../../../model/facts.js';
import { RPM_ARCHES, lines } from './lines.js';

const NAME = /^[A-Za-z0-9_+][A-Za-z0-9_+.-]*$/;
const PART = /^[A-Za-z0-9_.+~^]+$/;

/** `[epoch:]version-release`, leaving out an epoch that is unset or 0 as rpm and dnf print it. */
export function rpmVersion(epoch: string | undefined, version: string, release: string): string {
  const e = epoch !== undefined && /^\d+$/.test(epoch) && Number(epoch) !== 0 ? `${Number(epoch)}:` : '';
  return release === '' ? `${e}${version}` : `${e}${version}-${release}`;
}

/** `openssl-3.0.7-27.el9.src.rpm` -> `{ name: 'openssl', version: '3.0.7-27.el9' }`. */
export function parseSourceRpm(text: string): { name: string; version: string } | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(text.trim());
  if (!match) return undefined;
  return { name: match[1] as string, version: `${match[2] as string}-${match[3] as string}` };
}

export function parseRpmQa(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const line of lines(text)) {
    const parts = line.split('\t').map((p) => p.trim());
    if (parts.length < 6) continue;
    const [epoch, name, version, release, arch, sourceRpm] = parts as [string, string, string, string, string, string];
    // Imported signing keys are rpm entries, not software.
    if (name === 'gpg-pubkey' || !NAME.test(name) || !PART.test(version) || !PART.test(release)) continue;
    const source = parseSourceRpm(sourceRpm);
    const pkg: InstalledPackage = {
      name,
      sourceName: source?.name ?? name,
      version: rpmVersion(epoch, version, release),
      arch,
    };
    if (source && source.version !== `${version}-${release}`) pkg.sourceVersion = source.version;
    out.push(pkg);
  }
  return out;
}

export interface Nevra {
  name: string;
  /** `[epoch:]version-release`, epoch as printed. */
  version: string;
  arch: string;
}

/** `openssl-libs-1:3.0.7-27.el9.x86_64` -> name, `1:3.0.7-27.el9`, arch. */
export function parseNevra(text: string): Nevra | undefined {
  const dot = text.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const arch = text.slice(dot + 1);
  if (!RPM_ARCHES.has(arch)) return undefined;
  const nevr = text.slice(0, dot);
  const releaseDash = nevr.lastIndexOf('-');
  if (releaseDash <= 0) return undefined;
  const versionDash = nevr.lastIndexOf('-', releaseDash - 1);
  if (versionDash <= 0) return undefined;
  const name = nevr.slice(0, versionDash);
  const evr = nevr.slice(versionDash + 1);
  let [epoch, version] = evr.includes(':') ? (evr.split(':', 2) as [string, string]) : [undefined, evr];
  const release = version.slice(version.lastIndexOf('-') + 1);
  version = version.slice(0, version.lastIndexOf('-'));
  if (!NAME.test(name) || !PART.test(version) || !PART.test(release)) return undefined;
  if (epoch !== undefined && !/^\d+$/.test(epoch)) return undefined;
  return { name, version: rpmVersion(epoch, version, release), arch };
}

// `dpkg-query -W -f='${Package}\t${source:Package}\t${Version}\t${source:Version}\t${Architecture}\t${db:Status-Abbrev}\n'`
import type { InstalledPackage } from '../../../model/facts.js';
import { lines } from './lines.js';

const NAME = /^[a-z0-9][a-z0-9+.-]*$/;
const VERSION = /^[A-Za-z0-9.+~:-]+$/;
// Second letter of db:Status-Abbrev: files on disk in every state but
// not-installed (n) and config-files (c).
const ON_DISK = new Set(['i', 'U', 'F', 'W', 't', 'h']);

/** Installed packages; removed ones that left only configuration behind are not. */
export function parseDpkgQuery(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const line of lines(text)) {
    const parts = line.split('\t');
    if (parts.length < 6) continue;
    const [name, source, version, sourceVersion, arch, status] = parts.map((p) => p.trim()) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!NAME.test(name) || !VERSION.test(version)) continue;
    if (!ON_DISK.has(status.charAt(1))) continue;
    const pkg: InstalledPackage = {
      name,
      sourceName: NAME.test(source) ? source : name,
      version,
      arch,
    };
    if (VERSION.test(sourceVersion) && sourceVersion !== version) pkg.sourceVersion = sourceVersion;
    out.push(pkg);
  }
  return out;
}

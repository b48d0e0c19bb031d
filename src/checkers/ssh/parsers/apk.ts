// Alpine: the installed database (/lib/apk/db/installed, P/V/A/o fields) and
// `apk version -l '<'`.
import type { InstalledPackage } from '../../../model/facts.js';
import { fields, lines } from './lines.js';

const APK_VERSION = /^\d+(\.\d+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(-r\d+)?$/;
const NAME = /^[A-Za-z0-9_+][A-Za-z0-9_+.-]*$/;

/** Records separated by blank lines; a record becomes a package once it has P and V. */
export function parseApkInstalled(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  let record: Record<string, string> = {};
  const flush = (): void => {
    const name = record['P'];
    const version = record['V'];
    if (name && version && NAME.test(name) && APK_VERSION.test(version)) {
      const origin = record['o'];
      out.push({ name, sourceName: origin && NAME.test(origin) ? origin : name, version, arch: record['A'] ?? '' });
    }
    record = {};
  };
  for (const line of lines(text)) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    const match = /^([A-Za-z]):(.*)$/.exec(line);
    if (match && !Object.hasOwn(record, match[1] as string)) record[match[1] as string] = (match[2] as string).trim();
  }
  flush();
  return out;
}

/** `busybox-1.36.1-r28` -> `{ name: 'busybox', version: '1.36.1-r28' }`: the first dash whose remainder is a whole apk version. */
export function splitApkPackage(text: string): { name: string; version: string } | undefined {
  for (let i = text.indexOf('-'); i > 0; i = text.indexOf('-', i + 1)) {
    const version = text.slice(i + 1);
    if (APK_VERSION.test(version)) {
      const name = text.slice(0, i);
      return NAME.test(name) ? { name, version } : undefined;
    }
  }
  return undefined;
}

export interface ApkUpgrade {
  name: string;
  installed: string;
  candidate: string;
}

/** `busybox-1.36.1-r28   < 1.36.1-r29` lines; the header and warnings are skipped. */
export function parseApkVersion(text: string): ApkUpgrade[] {
  const out: ApkUpgrade[] = [];
  for (const line of lines(text)) {
    const parts = fields(line);
    if (parts.length !== 3 || parts[1] !== '<') continue;
    const pkg = splitApkPackage(parts[0] as string);
    const candidate = parts[2] as string;
    if (!pkg || !APK_VERSION.test(candidate)) continue;
    out.push({ name: pkg.name, installed: pkg.version, candidate });
  }
  return out;
}

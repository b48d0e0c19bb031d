// `now <epoch>` and `mtime <epoch> <path>` lines: how old the package
// manager's metadata on the host is, by the host's own clock.
import type { OsFamily } from '../../../model/facts.js';
import { integer, lines } from './lines.js';

export interface MetadataTimes {
  now?: number;
  files: { path: string; mtime: number }[];
}

export function parseMetadataTimes(text: string): MetadataTimes {
  const result: MetadataTimes = { files: [] };
  for (const line of lines(text)) {
    const now = /^now (\d+)$/.exec(line.trim());
    if (now) {
      result.now ??= integer(now[1]);
      continue;
    }
    const mtime = /^mtime (\d+) (\/.*)$/.exec(line);
    if (mtime) result.files.push({ mtime: Number(mtime[1]), path: mtime[2] as string });
  }
  return result;
}

const PREFIXES: Readonly<Record<OsFamily, readonly string[]>> = {
  debian: ['/var/lib/apt/'],
  rhel: ['/var/cache/dnf/', '/var/cache/libdnf5/', '/var/cache/yum/'],
  suse: ['/var/cache/zypp/'],
  alpine: ['/var/cache/apk/'],
  unknown: [],
};

/**
 * Seconds since the family's newest metadata file changed (0 when its mtime is
 * in the host's future); `files: 0` when the host has none, which means the
 * package manager has no lists to compare against at all.
 */
export function metadataAge(times: MetadataTimes, family: OsFamily): { files: number; ageSeconds?: number } {
  const prefixes = PREFIXES[family];
  const relevant = times.files.filter((f) => prefixes.some((p) => f.path.startsWith(p)));
  if (relevant.length === 0 || times.now === undefined) return { files: relevant.length };
  const newest = relevant.reduce((max, f) => (f.mtime > max ? f.mtime : max), 0);
  return { files: relevant.length, ageSeconds: Math.max(0, times.now - newest) };
}

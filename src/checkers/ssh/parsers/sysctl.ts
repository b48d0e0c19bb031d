// `key = value` lines, as `sysctl -a` prints them and as the probe prints the
// /proc/sys values it reads.
import { lines } from './lines.js';

export function parseSysctl(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const match = /^([a-z0-9_][a-z0-9_.\-/]*)\s*=\s*(.*?)\s*$/i.exec(line);
    if (match && !Object.hasOwn(out, match[1] as string)) out[match[1] as string] = match[2] as string;
  }
  return out;
}

/** `1` (or any non-zero number) is on, `0` off; anything else unknown. */
export function sysctlFlag(value: string | undefined): boolean | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value) !== 0;
}

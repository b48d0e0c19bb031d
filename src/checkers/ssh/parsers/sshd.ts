// `sshd -T`: the effective configuration, one lower-case `keyword value` per
// line; keywords given more than once (hostkey, listenaddress...) are joined.
import { lines } from './lines.js';

export function parseSshdConfig(text: string): Record<string, string> {
  const values = new Map<string, string[]>();
  for (const line of lines(text)) {
    const match = /^([a-z][a-z0-9]*)\s+(.*\S)\s*$/.exec(line) ?? /^([a-z][a-z0-9]*)\s*$/.exec(line);
    if (!match) continue;
    const key = match[1] as string;
    const value = (match[2] ?? '').trim();
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  const out: Record<string, string> = {};
  for (const [key, list] of values) out[key] = list.join(',');
  return out;
}

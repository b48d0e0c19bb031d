// Listening sockets from `ss -tulnp` (with or without -H) or, where ss is
// missing, `netstat -tulnp` (net-tools or busybox).
import type { ListeningSocket } from '../../../model/facts.js';
import { fields, lines } from './lines.js';

/**
 * `0.0.0.0:22`, `[::]:22`, `*:22`, `127.0.0.53%lo:53`, `[fe80::1]%eth0:123`,
 * `:::22` -> address without brackets or zone, and port. ss prints `*` for an
 * IPv6 wildcard socket that also accepts IPv4, reported here as `::`.
 */
export function splitLocalAddress(text: string): { address: string; port: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const portText = text.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  let address = text.slice(0, colon);
  const zone = address.indexOf('%');
  if (zone !== -1) address = address.slice(0, zone);
  if (address.startsWith('[')) address = address.slice(1, address.endsWith(']') ? -1 : undefined);
  if (address === '*') address = '::';
  if (!/^[0-9A-Fa-f.:]+$/.test(address)) return undefined;
  return { address, port };
}

function protocolOf(token: string | undefined): 'tcp' | 'udp' | undefined {
  if (token === 'tcp' || token === 'tcp6') return 'tcp';
  if (token === 'udp' || token === 'udp6') return 'udp';
  return undefined;
}

/** `Netid State Recv-Q Send-Q Local Peer [Process]` rows. */
export function parseSs(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of lines(text)) {
    const parts = fields(line);
    const protocol = protocolOf(parts[0]);
    if (!protocol || parts.length < 6) continue;
    const local = splitLocalAddress(parts[4] as string);
    if (!local) continue;
    const process = /\(\("([^"]+)"/.exec(parts.slice(6).join(' '))?.[1];
    out.push({ protocol, ...local, ...(process ? { process } : {}) });
  }
  return out;
}

/** `Proto Recv-Q Send-Q Local Foreign [State] PID/Program` rows. */
export function parseNetstat(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of lines(text)) {
    const parts = fields(line);
    const protocol = protocolOf(parts[0]);
    if (!protocol || parts.length < 5) continue;
    if (protocol === 'tcp' && parts[5] !== 'LISTEN') continue;
    const local = splitLocalAddress(parts[3] as string);
    if (!local) continue;
    // `842/sshd`, or net-tools' `842/sshd: /usr/sbi` (a truncated command line).
    const owner = parts.slice(5).find((p) => /^\d+\/\S/.test(p));
    const process = owner?.slice(owner.indexOf('/') + 1).replace(/:$/, '');
    out.push({ protocol, ...local, ...(process ? { process } : {}) });
  }
  return out;
}

/** Either format, told apart by the header or the column count; exact duplicates dropped. */
export function parseListening(text: string): ListeningSocket[] {
  const netstat = /^(Active Internet connections|Proto\s+Recv-Q)/m.test(text);
  const sockets = netstat ? parseNetstat(text) : parseSs(text);
  const seen = new Set<string>();
  return sockets.filter((s) => {
    const key = `${s.protocol} ${s.address} ${s.port} ${s.process ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// `apt-get -s dist-upgrade`: one `Inst` line per package apt would upgrade,
//   Inst libssl3 [3.0.11-1~deb12u2] (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])
// with every origin that offers the candidate. A candidate is a security
// update when one of them is a `-security` pocket (Debian-Security, Ubuntu's
// `jammy-security`, Ubuntu Pro's `jammy-infra-security`...).
import type { PendingUpdate } from '../../../model/facts.js';
import { lines } from './lines.js';

const INST = /^Inst (\S+) \[([^\]]+)\] \((\S+)\s*(.*?)\s*\[([^\]]*)\]\)/;

/** True for an origin (`Label:Version/Archive`) whose archive is a security pocket. */
export function isSecurityOrigin(origin: string): boolean {
  const slash = origin.lastIndexOf('/');
  const archive = slash === -1 ? '' : origin.slice(slash + 1);
  const label = origin.split(':', 1)[0] ?? '';
  return archive.endsWith('-security') || /security/i.test(label);
}

/** Upgrades of installed packages; packages apt would newly install (a new kernel ABI) come with their metapackage's upgrade. */
export function parseAptSimulation(text: string): PendingUpdate[] {
  const out: PendingUpdate[] = [];
  const seen = new Set<string>();
  for (const line of lines(text)) {
    const match = INST.exec(line);
    if (!match) continue;
    const name = (match[1] as string).split(':', 1)[0] as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const origins = (match[4] as string)
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== '');
    const securityOrigin = origins.find(isSecurityOrigin);
    const origin = securityOrigin ?? origins[0];
    out.push({
      name,
      installed: match[2] as string,
      candidate: match[3] as string,
      security: securityOrigin !== undefined,
      ...(origin ? { origin } : {}),
    });
  }
  return out;
}

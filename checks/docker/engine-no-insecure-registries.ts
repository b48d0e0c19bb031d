// Risk: images pulled from an insecure registry travel over plain HTTP or
// unverified TLS, so anyone on the path can swap in their own image.
//
// Loopback entries pass on purpose. The daemon always puts 127.0.0.0/8 in its
// insecure registry CIDRs (and ::1/128 on engines that add the IPv6 loopback),
// whatever daemon.json says. docker-bench-security flags that default, which is
// wrong: loopback traffic never leaves the host's network stack, so there is no
// network path on which it could be read or altered, and TLS to 127.0.0.1 would
// protect nothing an attacker could not reach anyway once they are root on the
// host. Flagging it would fail every engine for an entry nobody can remove.
// The same holds for registry hosts named localhost, 127.x.x.x or [::1], with or
// without a port.
import { defineCheck, type Violation } from '../../src/model/check.js';

const LOOPBACK_IPV6_CIDRS = new Set(['::1/128', '0:0:0:0:0:0:0:1/128']);

function isIpv4Loopback(address: string): boolean {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  return octets !== null && octets[1] === '127' && octets.slice(2).every((o) => Number(o) <= 255);
}

/** A CIDR that lies entirely inside 127.0.0.0/8, or the IPv6 loopback. */
function isLoopbackCidr(cidr: string): boolean {
  const text = cidr.trim().toLowerCase();
  if (LOOPBACK_IPV6_CIDRS.has(text)) return true;
  const [address, prefix] = text.split('/');
  if (address === undefined || prefix === undefined || !/^\d{1,2}$/.test(prefix)) return false;
  const bits = Number(prefix);
  return bits >= 8 && bits <= 32 && isIpv4Loopback(address);
}

/** `localhost`, `127.x.x.x` or `[::1]`, each with or without `:port`. */
function isLoopbackHost(entry: string): boolean {
  const text = entry.trim().toLowerCase();
  let host = text;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return false;
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest !== '' && !/^:\d+$/.test(rest)) return false;
  } else if (text.split(':').length === 2) {
    const [name, port] = text.split(':') as [string, string];
    if (!/^\d+$/.test(port)) return false;
    host = name;
  }
  return host === 'localhost' || host === '::1' || isIpv4Loopback(host);
}

export default defineCheck({
  id: 'docker/engine-no-insecure-registries',
  target: 'engine',
  meta: {
    title: 'Engine trusts no insecure registries beyond loopback',
    description:
      'For a registry marked insecure the engine accepts plain HTTP or a TLS certificate it cannot verify. Anyone ' +
      'between the engine and the registry (same LAN, a compromised router, DNS spoofing) can then serve a different ' +
      'image under the same tag, and every container started from it runs their code. Loopback entries, which the ' +
      'daemon always adds, pass: that traffic never leaves the host.',
    layer: 'provenance',
    severity: 'high',
    remediation:
      'Remove the entry from `"insecure-registries"` in /etc/docker/daemon.json (dockerd flag: `--insecure-registry`) ' +
      'and restart the daemon; serve the registry over TLS instead, and for a private CA place its certificate in ' +
      '/etc/docker/certs.d/<host:port>/ca.crt. There is no `docker run` flag or Compose key: it is a daemon setting.',
    references: [
      'cis-docker-1.6.0:2.5',
      'cwe:319',
      'cwe:295',
      'https://docs.docker.com/reference/cli/dockerd/#insecure-registries',
      'https://docs.docker.com/engine/security/certificates/',
    ],
    messages: {
      'insecure-cidr': 'Engine {{name}} treats every registry in {{cidr}} as insecure (plain HTTP or unverified TLS).',
      'insecure-host': 'Engine {{name}} treats registry {{host}} as insecure (plain HTTP or unverified TLS).',
    },
  },
  evaluate({ engine }) {
    const violations: Violation[] = [];
    for (const cidr of engine.insecureRegistryCidrs) {
      if (isLoopbackCidr(cidr)) continue;
      violations.push({
        messageId: 'insecure-cidr',
        data: { name: engine.name, cidr },
        evidence: { source: 'engine info', path: 'RegistryConfig.InsecureRegistryCIDRs', observed: cidr, expected: 'loopback only' },
        key: cidr,
      });
    }
    for (const host of engine.insecureRegistryHosts) {
      if (isLoopbackHost(host)) continue;
      violations.push({
        messageId: 'insecure-host',
        data: { name: engine.name, host },
        evidence: { source: 'engine info', path: `RegistryConfig.IndexConfigs[${host}].Secure`, observed: false, expected: true },
        key: host,
      });
    }
    return violations;
  },
});

// Risk: weak SSH ciphers, MACs and key exchanges (CBC modes, RC4, MD5/SHA-1,
// 1024-bit groups) let a capable attacker decrypt or tamper with sessions.
import { defineCheck, type EvaluationContext, type Violation } from '../../src/model/check.js';
import { stringList } from '../../src/lib/params.js';
import { notEvaluated } from '../../src/lib/not-collected.js';
import { SSHD_ASSUMED_SOURCE, SSHD_SOURCE } from '../../src/lib/sshd-setting.js';

const SSHD_KEYS = ['sshd'];

const DEFAULT_WEAK_CIPHERS = ['3des-cbc', 'aes*-cbc', 'arcfour*', 'blowfish-cbc', 'cast128-cbc'];
const DEFAULT_WEAK_MACS = ['hmac-md5*', 'hmac-sha1*', 'umac-64*', 'hmac-ripemd160*'];
const DEFAULT_WEAK_KEX = ['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1'];
const NIST_KEX = 'ecdh-sha2-nistp*';

// OpenSSH 9.x compiled defaults (myproposal.h), used only when `sshd -T`
// prints no value for the list; the default MACs include umac-64 and hmac-sha1.
const OPENSSH_DEFAULTS: Readonly<Record<string, string>> = {
  ciphers: 'chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com',
  macs:
    'umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,' +
    'hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1',
  kexalgorithms:
    'sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,' +
    'ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,' +
    'diffie-hellman-group18-sha512,diffie-hellman-group14-sha256',
};

interface Family {
  /** Key in `sshd -T` output and the evidence path. */
  setting: 'ciphers' | 'macs' | 'kexalgorithms';
  /** Prefix of the violation key (`cipher:3des-cbc`). */
  kind: 'cipher' | 'mac' | 'kex';
  messageId: string;
  patterns: RegExp[];
}


/** `aes*-cbc` -> /^aes.*-cbc$/i: `*` is the only wildcard, as in sshd_config patterns. */
function globPattern(glob: string): RegExp {
  const body = glob
    .trim()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

function families(ctx: EvaluationContext): Family[] {
  const kex = stringList(ctx.params['weakKex']);
  if (ctx.params['rejectNistCurves'] === true) kex.push(NIST_KEX);
  return [
    { setting: 'ciphers', kind: 'cipher', messageId: 'weak-cipher', patterns: stringList(ctx.params['weakCiphers']).map(globPattern) },
    { setting: 'macs', kind: 'mac', messageId: 'weak-mac', patterns: stringList(ctx.params['weakMacs']).map(globPattern) },
    { setting: 'kexalgorithms', kind: 'kex', messageId: 'weak-kex', patterns: kex.map(globPattern) },
  ];
}

export default defineCheck({
  id: 'vm/ssh-strong-crypto',
  target: 'host',
  meta: {
    title: 'SSH offers only strong ciphers, MACs and key exchanges',
    description:
      'sshd negotiates the first algorithm both sides support, so a weak one left enabled is used by any client ' +
      '(or attacker in the middle) that asks for it. CBC-mode ciphers are open to plaintext-recovery attacks, ' +
      'RC4 (arcfour), Blowfish and CAST-128 are broken or 64-bit block ciphers, MD5 and SHA-1 MACs and 64-bit UMAC ' +
      'are weak, and the SHA-1 Diffie-Hellman exchanges use 1024-bit or SHA-1-based groups. NIST-curve ECDH can be ' +
      'reported too with `rejectNistCurves`. Lists are read from `sshd -T` (needs root); a list it does not ' +
      'print takes OpenSSH 9.x\'s compiled default, whose MACs include umac-64 and hmac-sha1.',
    layer: 'access',
    severity: 'medium',
    remediation:
      'Remove the weak algorithms in /etc/ssh/sshd_config or a drop-in in /etc/ssh/sshd_config.d/, e.g. `Ciphers ' +
      'chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr`, ' +
      '`MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,umac-128-etm@openssh.com` and ' +
      '`KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,' +
      'diffie-hellman-group16-sha512,diffie-hellman-group18-sha512` (OpenSSH 7.5+ also takes `-name` to remove ' +
      'one). On the RHEL family (8+), Fedora and Amazon Linux 2023 the system crypto policy sets these: leave ' +
      'LEGACY with `update-crypto-policies --set DEFAULT` (or FUTURE, or a subpolicy such as `DEFAULT:NO-SHA1`). ' +
      'Check with `sshd -t`, then reload: `systemctl reload ssh` (Debian/Ubuntu), `systemctl reload sshd` (RHEL ' +
      'family, SUSE), `rc-service sshd reload` (Alpine).',
    references: [
      'cwe:327',
      'nist-800-53:SC-13',
      'https://man.openbsd.org/sshd_config#Ciphers',
      'https://www.openssh.com/legacy.html',
    ],
    messages: {
      'weak-cipher': 'sshd on {{name}} offers the weak cipher {{algorithm}}.',
      'weak-mac': 'sshd on {{name}} offers the weak MAC {{algorithm}}.',
      'weak-kex': 'sshd on {{name}} offers the weak key exchange {{algorithm}}.',
    },
    parameters: {
      weakCiphers: {
        description: 'Cipher names or `*` patterns that must not be enabled.',
        schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        default: DEFAULT_WEAK_CIPHERS,
      },
      weakMacs: {
        description: 'MAC names or `*` patterns that must not be enabled.',
        schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        default: DEFAULT_WEAK_MACS,
      },
      weakKex: {
        description: 'Key exchange names or `*` patterns that must not be enabled.',
        schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        default: DEFAULT_WEAK_KEX,
      },
      rejectNistCurves: {
        description: 'Also report NIST-curve ECDH key exchanges (`ecdh-sha2-nistp*`).',
        schema: { type: 'boolean' },
        default: false,
      },
    },
  },
  appliesTo({ host }) {
    return host.sshd === undefined ? notEvaluated(host, SSHD_KEYS, 'the sshd configuration (sshd -T)', true) : undefined;
  },
  evaluate({ host }, ctx) {
    const sshd = host.sshd;
    if (sshd === undefined) return [];
    const violations: Violation[] = [];
    for (const family of families(ctx)) {
      const raw = sshd[family.setting]?.trim();
      const assumed = raw === undefined || raw === '';
      const list = (assumed ? (OPENSSH_DEFAULTS[family.setting] ?? '') : raw).split(',');
      const seen = new Set<string>();
      for (const entry of list) {
        const algorithm = entry.trim().toLowerCase();
        if (algorithm === '' || seen.has(algorithm) || !family.patterns.some((p) => p.test(algorithm))) continue;
        seen.add(algorithm);
        violations.push({
          messageId: family.messageId,
          data: { name: host.name, algorithm },
          evidence: { source: assumed ? SSHD_ASSUMED_SOURCE : SSHD_SOURCE, path: family.setting, observed: algorithm, expected: 'not offered' },
          key: `${family.kind}:${algorithm}`,
        });
      }
    }
    return violations;
  },
});

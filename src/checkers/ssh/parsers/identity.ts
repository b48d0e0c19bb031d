// The small identity sections: `id`, the sudo trial, `uname` and the
// virtualization hints.
import { fields, integer, lines } from './lines.js';

export interface IdInfo {
  uid: number;
  user?: string;
}

/** `id -u` then `id -un`. */
export function parseId(text: string): IdInfo | undefined {
  const [first, second] = lines(text).map((l) => l.trim());
  const uid = integer(first);
  if (uid === undefined || uid < 0) return undefined;
  return second && /^[A-Za-z0-9_.][A-Za-z0-9_.$-]*$/.test(second) ? { uid, user: second } : { uid };
}

/** What the sudo section did: palisade was root, was not asked to use sudo, found no sudo, or tried `sudo -n true`. */
export type SudoAttempt = 'root' | 'not-requested' | 'missing' | 'tried';

export function parseSudoAttempt(text: string): SudoAttempt | undefined {
  for (const line of lines(text)) {
    const match = /^sudo (root|not-requested|missing|tried)$/.exec(line.trim());
    if (match) return match[1] as SudoAttempt;
  }
  return undefined;
}

export type SudoRefusal = 'password-required' | 'requiretty' | 'denied';

/**
 * Classifies sudo's complaint (the probe runs with LC_ALL=C, so sudo speaks
 * English): a password prompt `-n` refused, `requiretty`, or no rule at all.
 * Undefined when the text is not a sudo refusal.
 */
export function classifySudoRefusal(stderr: string): SudoRefusal | undefined {
  const text = stderr.toLowerCase();
  if (/must have a tty|no tty present|a terminal is required/.test(text)) return 'requiretty';
  if (/password is required|no askpass program/.test(text)) return 'password-required';
  if (/not in the sudoers|may not run sudo|is not allowed to execute|not allowed to run sudo|sudo: .*permission denied/.test(text)) {
    return 'denied';
  }
  return undefined;
}

export interface UnameInfo {
  release: string;
  architecture: string;
}

/** `uname -r` then `uname -m`. */
export function parseUname(text: string): UnameInfo | undefined {
  const [release, architecture] = lines(text).map((l) => l.trim());
  if (!release || !/^[\w.+~-]+$/.test(release)) return undefined;
  return { release, architecture: architecture && /^[\w-]+$/.test(architecture) ? architecture : '' };
}

const DMI_HINTS: readonly [RegExp, string][] = [
  [/^kvm$|qemu|^standard pc|openstack|bochs/i, 'kvm'],
  [/vmware/i, 'vmware'],
  [/virtualbox|innotek/i, 'oracle'],
  [/hvm domu|^xen/i, 'xen'],
  [/amazon ec2/i, 'amazon'],
  [/google compute engine|^google$/i, 'google'],
  [/microsoft corporation|hyper-v|^virtual machine$/i, 'microsoft'],
  [/parallels/i, 'parallels'],
];

/**
 * `systemd-detect-virt`'s answer when it gave one (`none` included), else a
 * guess from the DMI vendor and product names; undefined when neither says.
 */
export function parseVirtualization(text: string): string | undefined {
  const dmi: string[] = [];
  for (const line of lines(text)) {
    const [tag, ...rest] = fields(line);
    const value = rest.join(' ');
    if (tag === 'systemd-detect-virt' && /^[a-z0-9-]+$/.test(value)) return value;
    if ((tag === 'sys_vendor' || tag === 'product_name') && value !== '') dmi.push(value);
  }
  for (const value of dmi) {
    for (const [pattern, name] of DMI_HINTS) if (pattern.test(value)) return name;
  }
  return undefined;
}

// Whether the host waits for a reboot, from whichever signal its family has:
// Debian/Ubuntu's /var/run/reboot-required (written by update-notifier's hook)
// and needrestart's kernel status, `needs-restarting -r` on the RHEL family,
// `zypper needs-rebooting` and /run/reboot-needed on SUSE.
import type { OsFamily } from '../../../model/facts.js';
import { lines } from './lines.js';

export interface RebootSignals {
  file?: 'present' | 'absent';
  packages: string[];
  notifier: boolean;
  suseFlag: boolean;
  /** needrestart's NEEDRESTART-KSTA: 0 unknown, 1 current, 2 ABI-compatible upgrade pending, 3 version upgrade pending. */
  needrestartKernelStatus?: number;
  needsRestarting: string[];
  needsRestartingRc?: number;
  zypper: string[];
  zypperRc?: number;
}

export function parseRebootSignals(text: string): RebootSignals {
  const s: RebootSignals = { packages: [], notifier: false, suseFlag: false, needsRestarting: [], zypper: [] };
  for (const line of lines(text)) {
    let m: RegExpExecArray | null;
    if ((m = /^file (present|absent)$/.exec(line))) s.file = m[1] as 'present' | 'absent';
    else if ((m = /^package (\S+)$/.exec(line))) s.packages.push(m[1] as string);
    else if (line === 'notifier present') s.notifier = true;
    else if (line === 'reboot-needed present') s.suseFlag = true;
    else if ((m = /^needrestart NEEDRESTART-KSTA: (\d)$/.exec(line))) s.needrestartKernelStatus = Number(m[1]);
    else if ((m = /^needs-restarting-rc (\d+)$/.exec(line))) s.needsRestartingRc = Number(m[1]);
    else if ((m = /^zypper-rc (\d+)$/.exec(line))) s.zypperRc = Number(m[1]);
    else if (line.startsWith('needs-restarting ')) s.needsRestarting.push(line.slice('needs-restarting '.length));
    else if (line.startsWith('zypper ')) s.zypper.push(line.slice('zypper '.length));
  }
  return s;
}

export type RebootVerdict =
  | { known: true; required: boolean; packages: string[] }
  | { known: false; reason: 'command-missing' | 'unsupported-os' | 'failed'; detail: string };

export function rebootVerdict(family: OsFamily, s: RebootSignals): RebootVerdict {
  switch (family) {
    case 'debian': {
      if (s.file === 'present') return { known: true, required: true, packages: [...new Set(s.packages)] };
      const ksta = s.needrestartKernelStatus;
      if (ksta === 2 || ksta === 3) return { known: true, required: true, packages: [] };
      if (s.file === 'absent' && (s.notifier || ksta === 1)) return { known: true, required: false, packages: [] };
      return {
        known: false,
        reason: 'command-missing',
        detail: 'no reboot-required signal: neither update-notifier-common nor a conclusive needrestart; compare the running and newest installed kernels',
      };
    }
    case 'rhel': {
      const text = s.needsRestarting.join('\n');
      if (/reboot is required/i.test(text)) {
        const packages = s.needsRestarting.map((l) => /^\s*\*\s+(\S+)/.exec(l)?.[1]).filter((p): p is string => !!p);
        return { known: true, required: true, packages };
      }
      if (/reboot should not be necessary/i.test(text)) return { known: true, required: false, packages: [] };
      if (s.needsRestartingRc === undefined) {
        return { known: false, reason: 'command-missing', detail: 'needs-restarting (dnf-utils / yum-utils) is not installed' };
      }
      return { known: false, reason: 'failed', detail: `needs-restarting -r exited ${s.needsRestartingRc}: ${s.needsRestarting[0] ?? ''}`.trim() };
    }
    case 'suse': {
      if (s.suseFlag || s.zypperRc === 102) return { known: true, required: true, packages: [] };
      if (s.zypperRc === 0 && /not necessary/i.test(s.zypper.join('\n'))) return { known: true, required: false, packages: [] };
      if (s.zypperRc === undefined) return { known: false, reason: 'command-missing', detail: 'zypper is not installed' };
      return { known: false, reason: 'failed', detail: `zypper needs-rebooting exited ${s.zypperRc}: ${s.zypper[0] ?? ''}`.trim() };
    }
    case 'alpine':
      return {
        known: false,
        reason: 'unsupported-os',
        detail: 'Alpine has no reboot-required signal; compare the running and newest installed kernels',
      };
    case 'unknown':
      return { known: false, reason: 'unsupported-os', detail: 'unrecognised OS family' };
  }
}

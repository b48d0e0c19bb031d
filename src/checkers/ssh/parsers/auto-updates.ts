// Automatic updates: unattended-upgrades on Debian/Ubuntu, dnf-automatic (or
// yum-cron) on the RHEL family, YaST online update or transactional-update on
// SUSE. The probe prints `apt`, `binary`, `unit`, `conf` and `aou` lines.
import type { OsFamily } from '../../../model/facts.js';
import { lines } from './lines.js';

export interface AutoUpdateSignals {
  /** apt-config dump entries: key -> values (list items keep their order). */
  apt: Record<string, string[]>;
  binaries: Set<string>;
  /** systemctl is-enabled per unit; `not-found` when it printed nothing. */
  units: Record<string, string>;
  /** `path -> key -> value` from dnf-automatic / yum-cron configuration. */
  conf: Record<string, Record<string, string>>;
  /** /etc/sysconfig/automatic_online_update. */
  aou: Record<string, string>;
}

export function parseAutoUpdateSignals(text: string): AutoUpdateSignals {
  const s: AutoUpdateSignals = { apt: {}, binaries: new Set(), units: {}, conf: {}, aou: {} };
  for (const line of lines(text)) {
    let m: RegExpExecArray | null;
    if ((m = /^apt (\S+?)(?:::)?\s+"(.*)";$/.exec(line))) {
      (s.apt[m[1] as string] ??= []).push(m[2] as string);
    } else if ((m = /^binary (\S+)$/.exec(line))) {
      s.binaries.add(m[1] as string);
    } else if ((m = /^unit (\S+)\s*(\S*)\s*$/.exec(line))) {
      s.units[m[1] as string] = (m[2] as string) || 'not-found';
    } else if ((m = /^conf (\/\S+) \s*(\w+)\s*=\s*(.*?)\s*$/.exec(line))) {
      (s.conf[m[1] as string] ??= {})[m[2] as string] = m[3] as string;
    } else if ((m = /^aou (AOU_\w+)=(.*)$/.exec(line))) {
      s.aou[m[1] as string] = (m[2] as string).replace(/^"(.*)"$/, '$1');
    }
  }
  return s;
}

const ENABLED_STATES = new Set(['enabled', 'enabled-runtime', 'static', 'indirect', 'generated', 'alias', 'linked', 'linked-runtime']);

function unitEnabled(s: AutoUpdateSignals, unit: string): boolean {
  const state = s.units[unit];
  return state !== undefined && ENABLED_STATES.has(state);
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(yes|true|1|on)$/i.test(value.trim());
}

export interface AutoUpdates {
  mechanism: string;
  enabled: boolean;
  detail: string;
}

function debian(s: AutoUpdateSignals): AutoUpdates {
  const installed = s.binaries.has('unattended-upgrade');
  const periodic = s.apt['APT::Periodic::Unattended-Upgrade']?.[0];
  const periodicOn = periodic !== undefined && periodic !== '' && periodic !== '0';
  const hasSystemd = Object.keys(s.units).length > 0;
  const timer = s.units['apt-daily-upgrade.timer'];
  const timerOn = !hasSystemd || unitEnabled(s, 'apt-daily-upgrade.timer');
  const origins = [...(s.apt['Unattended-Upgrade::Origins-Pattern'] ?? []), ...(s.apt['Unattended-Upgrade::Allowed-Origins'] ?? [])];
  const security = origins.some((o) => /security/i.test(o));
  const detail = [
    `unattended-upgrades ${installed ? 'installed' : 'not installed'}`,
    `APT::Periodic::Unattended-Upgrade=${periodic ?? 'unset'}`,
    hasSystemd ? `apt-daily-upgrade.timer ${timer ?? 'not-found'}` : 'no systemd (cron)',
    origins.length > 0 ? `security origins ${security ? 'allowed' : 'not allowed'}` : 'no allowed origins',
  ].join('; ');
  return { mechanism: installed ? 'unattended-upgrades' : 'none', enabled: installed && periodicOn && timerOn && security, detail };
}

function rhel(s: AutoUpdateSignals): AutoUpdates {
  const dnfConf = s.conf['/etc/dnf/automatic.conf'] ?? {};
  const dnf5Conf = s.conf['/etc/dnf/dnf5-plugins/automatic.conf'] ?? {};
  if (unitEnabled(s, 'dnf-automatic-install.timer')) {
    return { mechanism: 'dnf-automatic', enabled: true, detail: `dnf-automatic-install.timer enabled; upgrade_type=${dnfConf['upgrade_type'] ?? 'default'}` };
  }
  if (unitEnabled(s, 'dnf-automatic.timer')) {
    const apply = truthy(dnfConf['apply_updates']);
    return {
      mechanism: 'dnf-automatic',
      enabled: apply,
      detail: `dnf-automatic.timer enabled; apply_updates=${dnfConf['apply_updates'] ?? 'unset'}; upgrade_type=${dnfConf['upgrade_type'] ?? 'default'}`,
    };
  }
  if (unitEnabled(s, 'dnf5-automatic.timer')) {
    const apply = truthy(dnf5Conf['apply_updates']);
    return { mechanism: 'dnf-automatic', enabled: apply, detail: `dnf5-automatic.timer enabled; apply_updates=${dnf5Conf['apply_updates'] ?? 'unset'}` };
  }
  if (unitEnabled(s, 'yum-cron.service')) {
    const conf = s.conf['/etc/yum/yum-cron.conf'] ?? {};
    return { mechanism: 'yum-cron', enabled: truthy(conf['apply_updates']), detail: `yum-cron enabled; apply_updates=${conf['apply_updates'] ?? 'unset'}` };
  }
  const partial = ['dnf-automatic-download.timer', 'dnf-automatic-notifyonly.timer'].filter((u) => unitEnabled(s, u));
  if (partial.length > 0) return { mechanism: 'dnf-automatic', enabled: false, detail: `${partial.join(', ')} enabled: updates are not applied` };
  const installed = s.binaries.has('dnf-automatic') || s.binaries.has('yum-cron');
  return {
    mechanism: installed ? (s.binaries.has('dnf-automatic') ? 'dnf-automatic' : 'yum-cron') : 'none',
    enabled: false,
    detail: installed ? 'installed but no timer enabled' : 'dnf-automatic is not installed',
  };
}

function suse(s: AutoUpdateSignals): AutoUpdates {
  if (unitEnabled(s, 'transactional-update.timer')) {
    return { mechanism: 'transactional-update', enabled: true, detail: 'transactional-update.timer enabled' };
  }
  const cron = s.aou['AOU_ENABLE_CRONJOB'];
  if (cron !== undefined) {
    return {
      mechanism: 'yast-online-update',
      enabled: truthy(cron),
      detail: `AOU_ENABLE_CRONJOB=${cron}; AOU_SKIP_INTERACTIVE_PATCHES=${s.aou['AOU_SKIP_INTERACTIVE_PATCHES'] ?? 'unset'}`,
    };
  }
  return { mechanism: 'none', enabled: false, detail: 'neither YaST online update nor transactional-update is configured' };
}

/** The family's mechanism and whether it installs updates without a person. */
export function autoUpdatesFor(family: OsFamily, s: AutoUpdateSignals): AutoUpdates | undefined {
  switch (family) {
    case 'debian':
      return debian(s);
    case 'rhel':
      return rhel(s);
    case 'suse':
      return suse(s);
    case 'alpine':
      return { mechanism: 'none', enabled: false, detail: 'Alpine has no standard automatic update service' };
    case 'unknown':
      return undefined;
  }
}

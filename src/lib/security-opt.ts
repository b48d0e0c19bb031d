// Parses HostConfig.SecurityOpt entries. Docker accepts both `key=value` and
// the legacy `key:value` form, and `no-new-privileges` alone means true.

export interface ParsedSecurityOpt {
  /** `unconfined`, a profile path/JSON marker, or undefined for the default profile. */
  seccomp?: string;
  /** `unconfined`, a profile name, or undefined for the default. */
  apparmor?: string;
  /** SELinux label options (`user:`, `role:`, `type:`, `level:`, `disable`). */
  labels: string[];
  /** The last `no-new-privileges` entry; undefined when the container does not set it. */
  noNewPrivileges?: boolean;
  /** `unconfined` when `--security-opt systempaths=unconfined` removed masking. */
  systempaths?: string;
}

export function parseSecurityOpt(entries: readonly string[]): ParsedSecurityOpt {
  const parsed: ParsedSecurityOpt = { labels: [] };
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === 'no-new-privileges') {
      parsed.noNewPrivileges = true;
      continue;
    }
    const sep = entry.search(/[=:]/);
    if (sep < 0) continue;
    const key = entry.slice(0, sep);
    const value = entry.slice(sep + 1);
    switch (key) {
      case 'seccomp':
        parsed.seccomp = value;
        break;
      case 'apparmor':
        parsed.apparmor = value;
        break;
      case 'label':
        parsed.labels.push(value);
        break;
      case 'no-new-privileges':
        // Docker reads the value with Go's strconv.ParseBool.
        parsed.noNewPrivileges = value === '' || ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
        break;
      case 'systempaths':
        parsed.systempaths = value;
        break;
      default:
        break;
    }
  }
  return parsed;
}

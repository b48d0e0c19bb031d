// The SSH probe: one table of fixed, read-only shell commands, and the POSIX sh
// script that runs all of them in a single round trip.
//
// Rules every command here keeps (test/checkers/ssh/probe.test.ts enforces them):
// - Fixed text. Nothing from an inventory or a host is spliced into the script;
//   `buildProbeScript` is a pure function of one boolean. Values a command reads
//   on the host at run time (file names, patch names) stay in shell variables or
//   go to `xargs` as arguments, never back into shell text.
// - Read-only. No package-manager refresh (`apt-get update`, `dnf makecache`,
//   `zypper refresh`, `apk update`/`-U`); apt only simulates, without locks and
//   without writing its binary caches; dnf/yum run cache-only (`-C`), zypper with
//   `--no-refresh`. No redirection into anything but /dev/null.
// - Bounded. Each section's output is cut at PROBE_SECTION_MAX_BYTES, and slow
//   commands run under `timeout` when the host has a working one.
//
// Inside a command, `$palisade_sudo` is the privilege prefix (empty, or `sudo -n`
// for a root section when palisade is not root but may use sudo) and
// `$palisade_timeout` is empty or `timeout <s>`. Both expand unquoted on purpose:
// they are fixed words set by the script itself.
//
// Output format, parsed by sections.ts:
//   @@palisade:probe:1
//   @@palisade:begin:<section>:<how>       how = user | root | sudo | skipped
//   <stdout lines>
//   @@palisade:err:<one stderr line>       interleaved with stdout
//   @@palisade:end:<section>:<exit code>   `-` when the section was skipped
//   @@palisade:done
import type { OsFamily } from '../../model/facts.js';

export interface ProbeSectionSpec {
  /** Shell text run by `sh` in a subshell with stdin from /dev/null. */
  readonly command: string;
  /** Only meaningful as root: skipped (and reported `needs-root`) without root or working sudo. */
  readonly needsRoot: boolean;
  /** Runs as the login user, but through sudo when sudo works (e.g. to see other users' process names). */
  readonly prefersRoot?: boolean;
  /** The OS families whose facts this section feeds; other families ignore its output. */
  readonly families?: readonly OsFamily[];
  /** Exit codes that mean success besides 0 (`dnf check-update` exits 100 when updates exist). */
  readonly okExitCodes?: readonly number[];
}

/** Bytes kept per section (stdout and stderr together); `head -c` cuts the rest. */
export const PROBE_SECTION_MAX_BYTES = 4 * 1024 * 1024;
/** Seconds a slow command may run before `timeout` stops it (exit 124). */
export const PROBE_COMMAND_TIMEOUT_SECONDS = 120;
/** The most world-writable paths reported. */
export const WORLD_WRITABLE_MAX = 1000;

const ZYPPER = 'zypper --non-interactive --no-refresh';

/**
 * Every probe section, in the order the script runs them. The `sudo` section
 * must precede every root section: its exit code decides whether they may use
 * `sudo -n`.
 */
export const PROBE_SECTIONS = {
  'os-release': {
    command: [
      'if [ -r /etc/os-release ]; then cat /etc/os-release',
      'elif [ -r /usr/lib/os-release ]; then cat /usr/lib/os-release',
      "else echo 'no /etc/os-release or /usr/lib/os-release' >&2; exit 1",
      'fi',
    ].join('\n'),
    needsRoot: false,
  },
  uname: {
    command: 'uname -r && uname -m',
    needsRoot: false,
  },
  id: {
    command: 'id -u && id -un',
    needsRoot: false,
  },
  // Tried once: a password prompt, requiretty or missing rights show up here,
  // with sudo's own message on stderr, and the root sections are then skipped.
  sudo: {
    command: [
      'if [ "$palisade_uid" = 0 ]; then echo \'sudo root\'',
      'elif [ "$palisade_want_sudo" != 1 ]; then echo \'sudo not-requested\'',
      "elif ! command -v sudo >/dev/null 2>&1; then echo 'sudo missing'; exit 127",
      "else echo 'sudo tried'; $palisade_timeout sudo -n true",
      'fi',
    ].join('\n'),
    needsRoot: false,
  },
  virtualization: {
    command: [
      'if command -v systemd-detect-virt >/dev/null 2>&1; then',
      '  printf \'systemd-detect-virt %s\\n\' "$(systemd-detect-virt 2>/dev/null)"',
      'fi',
      'for f in /sys/class/dmi/id/sys_vendor /sys/class/dmi/id/product_name; do',
      '  if [ -r "$f" ]; then printf \'%s %s\\n\' "${f##*/}" "$(cat "$f" 2>/dev/null)"; fi',
      'done',
      'exit 0',
    ].join('\n'),
    needsRoot: false,
  },
  'packages-dpkg': {
    command: [
      'command -v dpkg-query >/dev/null 2>&1 || exit 127',
      "$palisade_timeout dpkg-query -W -f='${Package}\\t${source:Package}\\t${Version}\\t${source:Version}\\t${Architecture}\\t${db:Status-Abbrev}\\n'",
    ].join('\n'),
    needsRoot: false,
    families: ['debian'],
  },
  'packages-rpm': {
    command: [
      'command -v rpm >/dev/null 2>&1 || exit 127',
      "$palisade_timeout rpm -qa --qf '%{EPOCH}\\t%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n'",
    ].join('\n'),
    needsRoot: false,
    families: ['rhel', 'suse'],
  },
  // Only the name, version, architecture and origin fields of each record (and
  // the blank lines between records); file lists are dropped on the host.
  'packages-apk': {
    command: [
      '[ -r /lib/apk/db/installed ] || exit 127',
      "grep -E '^([PVAo]:|$)' /lib/apk/db/installed",
    ].join('\n'),
    needsRoot: false,
    families: ['alpine'],
  },
  // Simulation only: no lock taken, no binary cache written; the origins of
  // each candidate (`Debian-Security:12/stable-security`) classify it.
  'updates-apt': {
    command: [
      'command -v apt-get >/dev/null 2>&1 || exit 127',
      '$palisade_timeout apt-get -s -q -o Debug::NoLocking=1 -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Get::Show-User-Simulation-Note=false dist-upgrade',
    ].join('\n'),
    needsRoot: false,
    families: ['debian'],
  },
  // `-C` reads the system cache read-only, also for a non-root user (dnf(8)).
  'updates-dnf-security': {
    command: [
      'if command -v dnf >/dev/null 2>&1; then $palisade_timeout dnf -C -q --noplugins updateinfo list --security',
      'elif command -v yum >/dev/null 2>&1; then $palisade_timeout yum -C -q --noplugins updateinfo list security',
      'else exit 127',
      'fi',
    ].join('\n'),
    needsRoot: false,
    families: ['rhel'],
  },
  'updates-dnf': {
    command: [
      'if command -v dnf >/dev/null 2>&1; then $palisade_timeout dnf -C -q --noplugins check-update',
      'elif command -v yum >/dev/null 2>&1; then $palisade_timeout yum -C -q --noplugins check-update',
      'else exit 127',
      'fi',
    ].join('\n'),
    needsRoot: false,
    families: ['rhel'],
    okExitCodes: [100],
  },
  // zypper exits 100-103 to say patches, security patches or a reboot are pending.
  'updates-zypper-patches': {
    command: [
      'command -v zypper >/dev/null 2>&1 || exit 127',
      `$palisade_timeout ${ZYPPER} -q list-patches -g security`,
    ].join('\n'),
    needsRoot: false,
    families: ['suse'],
    okExitCodes: [100, 101, 102, 103],
  },
  // Which packages each needed security patch updates: the Conflicts list of
  // `zypper info -t patch`. Patch names go to zypper through xargs, as
  // arguments; descriptions are dropped on the host to keep the output small.
  'updates-zypper-patch-info': {
    command: [
      'command -v zypper >/dev/null 2>&1 || exit 127',
      `$palisade_timeout ${ZYPPER} -q list-patches -g security |`,
      '  awk -F\'|\' \'NF >= 5 { n = $2; gsub(/^[ \\t]+|[ \\t]+$/, "", n); if (n != "" && n != "Name") print n }\' |',
      `  xargs -r $palisade_timeout ${ZYPPER} -q info -t patch |`,
      "  awk '/^Information for patch / { print; c = 0; next } /^(Status|Category) *:/ { print; c = 0; next } /^Conflicts *:/ { print; c = 1; next } c && /^[ \\t]/ { print; next } { c = 0 }'",
    ].join('\n'),
    needsRoot: false,
    families: ['suse'],
  },
  'updates-zypper': {
    command: [
      'command -v zypper >/dev/null 2>&1 || exit 127',
      `$palisade_timeout ${ZYPPER} -q list-updates`,
    ].join('\n'),
    needsRoot: false,
    families: ['suse'],
    okExitCodes: [100, 101, 102, 103],
  },
  // Without -U apk reads the index cache it already has and fetches nothing.
  'updates-apk': {
    command: [
      'command -v apk >/dev/null 2>&1 || exit 127',
      "$palisade_timeout apk version -l '<'",
    ].join('\n'),
    needsRoot: false,
    families: ['alpine'],
  },
  // Modification times of the package managers' metadata, and the host's clock.
  'metadata-age': {
    command: [
      'printf \'now %s\\n\' "$(date +%s)"',
      'for f in /var/lib/apt/lists/*Release /var/lib/apt/lists/partial /var/lib/apt/periodic/update-success-stamp \\',
      '  /var/cache/dnf/*/repodata/repomd.xml /var/cache/libdnf5/*/repodata/repomd.xml \\',
      '  /var/cache/yum/*/*/*/repomd.xml /var/cache/yum/*/repomd.xml \\',
      '  /var/cache/zypp/raw/*/repodata/repomd.xml /var/cache/apk/APKINDEX.*.tar.gz; do',
      '  if [ -e "$f" ]; then printf \'mtime %s %s\\n\' "$(stat -c %Y "$f" 2>/dev/null)" "$f"; fi',
      'done',
      'exit 0',
    ].join('\n'),
    needsRoot: false,
  },
  // Kernel images by release, and module trees that are complete (have modules.dep).
  kernels: {
    command: [
      'for f in /boot/vmlinuz-* /boot/vmlinux-* /boot/Image-*; do',
      '  if [ -e "$f" ]; then printf \'boot %s\\n\' "${f#/boot/}"; fi',
      'done',
      'for d in /lib/modules/* /usr/lib/modules/*; do',
      '  if [ -e "$d/modules.dep" ]; then printf \'modules %s\\n\' "${d##*/}"; fi',
      'done',
      'exit 0',
    ].join('\n'),
    needsRoot: false,
  },
  'reboot-required': {
    command: [
      "if [ -e /var/run/reboot-required ]; then echo 'file present'",
      "  if [ -r /var/run/reboot-required.pkgs ]; then sed 's/^/package /' /var/run/reboot-required.pkgs; fi",
      "else echo 'file absent'",
      'fi',
      "if [ -e /usr/share/update-notifier/notify-reboot-required ]; then echo 'notifier present'; fi",
      "if [ -e /run/reboot-needed ]; then echo 'reboot-needed present'; fi",
      'if command -v needrestart >/dev/null 2>&1; then',
      "  $palisade_timeout needrestart -b -r l 2>/dev/null | grep '^NEEDRESTART-K' | sed 's/^/needrestart /'",
      'fi',
      'if command -v dnf >/dev/null 2>&1; then',
      '  palisade_out=$($palisade_timeout dnf -C -q needs-restarting -r 2>&1); palisade_nr=$?',
      "  printf '%s\\n' \"$palisade_out\" | sed 's/^/needs-restarting /'; echo \"needs-restarting-rc $palisade_nr\"",
      'elif command -v needs-restarting >/dev/null 2>&1; then',
      '  palisade_out=$($palisade_timeout needs-restarting -r 2>&1); palisade_nr=$?',
      "  printf '%s\\n' \"$palisade_out\" | sed 's/^/needs-restarting /'; echo \"needs-restarting-rc $palisade_nr\"",
      'fi',
      'if command -v zypper >/dev/null 2>&1; then',
      `  palisade_out=$($palisade_timeout ${ZYPPER} needs-rebooting 2>&1); palisade_nr=$?`,
      "  printf '%s\\n' \"$palisade_out\" | sed 's/^/zypper /'; echo \"zypper-rc $palisade_nr\"",
      'fi',
      'exit 0',
    ].join('\n'),
    needsRoot: false,
  },
  'auto-updates': {
    command: [
      'if command -v apt-config >/dev/null 2>&1; then',
      "  apt-config dump 2>/dev/null | grep -E '^(APT::Periodic::|Unattended-Upgrade::(Allowed-Origins|Origins-Pattern))' | sed 's/^/apt /'",
      'fi',
      'for f in /usr/bin/unattended-upgrade /usr/bin/dnf-automatic /usr/bin/yum-cron; do',
      '  if [ -x "$f" ]; then printf \'binary %s\\n\' "${f##*/}"; fi',
      'done',
      'if command -v systemctl >/dev/null 2>&1; then',
      '  for u in apt-daily-upgrade.timer dnf-automatic.timer dnf-automatic-install.timer dnf-automatic-download.timer \\',
      '    dnf-automatic-notifyonly.timer dnf5-automatic.timer yum-cron.service transactional-update.timer; do',
      '    printf \'unit %s %s\\n\' "$u" "$(systemctl is-enabled "$u" 2>/dev/null | head -n 1)"',
      '  done',
      'fi',
      'for f in /etc/dnf/automatic.conf /etc/dnf/dnf5-plugins/automatic.conf /etc/yum/yum-cron.conf; do',
      "  if [ -r \"$f\" ]; then grep -E '^[[:space:]]*(apply_updates|download_updates|upgrade_type|update_cmd)[[:space:]]*=' \"$f\" | sed \"s|^|conf $f |\"; fi",
      'done',
      "if [ -r /etc/sysconfig/automatic_online_update ]; then grep -E '^AOU_' /etc/sysconfig/automatic_online_update | sed 's/^/aou /'; fi",
      'exit 0',
    ].join('\n'),
    needsRoot: false,
  },
  // JSON when nft was built with it, the text form otherwise.
  'firewall-nft': {
    command: [
      'command -v nft >/dev/null 2>&1 || exit 127',
      '$palisade_timeout $palisade_sudo nft -j list ruleset 2>/dev/null || $palisade_timeout $palisade_sudo nft list ruleset',
    ].join('\n'),
    needsRoot: true,
  },
  // `iptables -V` says whether the rules live in nftables (`nf_tables`) or in
  // the legacy tables that nft cannot see.
  'firewall-iptables': {
    command: [
      'command -v iptables >/dev/null 2>&1 || exit 127',
      'printf \'version %s\\n\' "$(iptables -V 2>/dev/null)"',
      '$palisade_timeout $palisade_sudo iptables -S',
    ].join('\n'),
    needsRoot: true,
  },
  listening: {
    command: [
      'if command -v ss >/dev/null 2>&1; then $palisade_timeout $palisade_sudo ss -H -tulnp 2>/dev/null || $palisade_timeout $palisade_sudo ss -tulnp',
      'elif command -v netstat >/dev/null 2>&1; then $palisade_timeout $palisade_sudo netstat -tulnp',
      'else exit 127',
      'fi',
    ].join('\n'),
    needsRoot: false,
    prefersRoot: true,
  },
  'ip-forwarding': {
    command: [
      'if [ -r /proc/sys/net/ipv4/ip_forward ]; then printf \'net.ipv4.ip_forward = %s\\n\' "$(cat /proc/sys/net/ipv4/ip_forward)"; fi',
      'if [ -r /proc/sys/net/ipv6/conf/all/forwarding ]; then printf \'net.ipv6.conf.all.forwarding = %s\\n\' "$(cat /proc/sys/net/ipv6/conf/all/forwarding)"; fi',
      "if [ ! -e /proc/sys/net/ipv6 ]; then echo 'ipv6 absent'; fi",
      'exit 0',
    ].join('\n'),
    needsRoot: false,
  },
  // The effective configuration; needs root to read the host keys.
  sshd: {
    command: [
      "palisade_sshd=''",
      'for f in /usr/sbin/sshd /usr/local/sbin/sshd /sbin/sshd /usr/bin/sshd; do',
      '  if [ -x "$f" ]; then palisade_sshd=$f; break; fi',
      'done',
      '[ -n "$palisade_sshd" ] || exit 127',
      '$palisade_timeout $palisade_sudo "$palisade_sshd" -T',
    ].join('\n'),
    needsRoot: true,
  },
  // Root sees every directory; as a user the list would be silently partial.
  // Symlinked roots (/bin -> usr/bin) are left to the tree they point into.
  // find's own exit status follows the paths, so a find that was stopped or
  // failed is not mistaken for a short list.
  'world-writable': {
    command: [
      "palisade_dirs=''",
      'for d in /etc /usr /bin /sbin /lib /lib64 /boot; do',
      '  if [ -d "$d" ] && [ ! -L "$d" ]; then palisade_dirs="$palisade_dirs $d"; fi',
      'done',
      `{ $palisade_timeout $palisade_sudo find $palisade_dirs -xdev \\( -type f -perm -0002 -o -type d -perm -0002 ! -perm -1000 \\) -print; echo "find-exit $?"; } | head -n ${WORLD_WRITABLE_MAX + 1}`,
    ].join('\n'),
    needsRoot: true,
  },
  // Names only: the password field is compared on the host and never printed.
  'empty-passwords': {
    command: "$palisade_timeout $palisade_sudo awk -F: 'NF >= 2 && $2 == \"\" { print $1 }' /etc/shadow",
    needsRoot: true,
  },
} as const satisfies Record<string, ProbeSectionSpec>;

export type ProbeSectionName = keyof typeof PROBE_SECTIONS;

export const PROBE_SECTION_NAMES = Object.keys(PROBE_SECTIONS) as ProbeSectionName[];

/** The spec of a section by name, or undefined for a name the probe does not have. */
export function probeSection(name: string): ProbeSectionSpec | undefined {
  return Object.hasOwn(PROBE_SECTIONS, name) ? PROBE_SECTIONS[name as ProbeSectionName] : undefined;
}

export const PROBE_FORMAT_VERSION = 1;

// Runs one section: markers around it, stdin from /dev/null, stdout kept as is,
// each stderr line prefixed, both cut at the byte bound, and the command's own
// exit status carried out on fd 3 (a pipeline would otherwise report head's).
const RUNNER = String.raw`palisade_section() {
  case $2 in
    user) palisade_how=user; palisade_sudo='' ;;
    *)
      if [ "$palisade_uid" = 0 ]; then palisade_how=root; palisade_sudo=''
      elif [ "$palisade_sudo_ok" = 1 ]; then palisade_how=sudo; palisade_sudo='sudo -n'
      elif [ "$2" = prefer-root ]; then palisade_how=user; palisade_sudo=''
      else palisade_how=skipped; palisade_sudo=''
      fi ;;
  esac
  printf '\n@@palisade:begin:%s:%s\n' "$1" "$palisade_how"
  if [ "$palisade_how" = skipped ]; then
    palisade_rc=-
  else
    palisade_rc=$( { { { ( "$3" ) </dev/null 2>&1 1>&5 3>&- 4>&- 5>&-; printf '%s' "$?" >&3; } | sed 's/^/@@palisade:err:/'; } 5>&1 | head -c "$palisade_max" >&4; } 3>&1 )
  fi
  printf '\n@@palisade:end:%s:%s\n' "$1" "$palisade_rc"
}`;

/**
 * The probe script. A pure function of `sudo`: with it, a non-root login uses
 * `sudo -n` for the root sections once `sudo -n true` has succeeded; without
 * it, or when sudo refuses, those sections are skipped and say so.
 */
export function buildProbeScript(options: { sudo: boolean }): string {
  const functions: string[] = [];
  const calls: string[] = [];
  PROBE_SECTION_NAMES.forEach((name, index) => {
    const spec: ProbeSectionSpec = PROBE_SECTIONS[name];
    const fn = `palisade_s${index}`;
    const mode = spec.needsRoot ? 'root' : spec.prefersRoot ? 'prefer-root' : 'user';
    functions.push(`${fn}() {\n${spec.command}\n}`);
    calls.push(`palisade_section ${name} ${mode} ${fn}`);
    if (name === 'sudo') {
      calls.push(
        'if [ "$palisade_uid" != 0 ] && [ "$palisade_want_sudo" = 1 ] && [ "$palisade_rc" = 0 ]; then palisade_sudo_ok=1; fi',
      );
    }
  });

  return [
    '#!/bin/sh',
    '# palisade host probe: read-only, one section per fact, each bounded and marked.',
    'unset IFS',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'LC_ALL=C',
    'LANG=C',
    'export PATH LC_ALL LANG',
    `palisade_want_sudo=${options.sudo ? 1 : 0}`,
    `palisade_max=${PROBE_SECTION_MAX_BYTES}`,
    'palisade_uid=$(id -u 2>/dev/null)',
    'palisade_sudo_ok=0',
    "palisade_sudo=''",
    'if command -v timeout >/dev/null 2>&1 && timeout 10 true >/dev/null 2>&1; then',
    `  palisade_timeout='timeout ${PROBE_COMMAND_TIMEOUT_SECONDS}'`,
    'else',
    "  palisade_timeout=''",
    'fi',
    RUNNER,
    ...functions,
    'exec 4>&1',
    `printf '@@palisade:probe:%s\\n' ${PROBE_FORMAT_VERSION}`,
    ...calls,
    "printf '\\n@@palisade:done\\n'",
    'exec 4>&-',
    '',
  ].join('\n');
}

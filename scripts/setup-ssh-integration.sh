#!/usr/bin/env bash
# Provisions what the SSH integration tests need on a Debian machine, as root:
# the OpenSSH server binary and sudo (the system sshd service is neither
# started nor enabled: the tests start their own throw-away sshd on loopback
# ports), and two local test users:
#   palisade-ci      may run anything with `sudo -n` (no password)
#   palisade-nosudo  has no sudo rights
# No keys are made here; each test run generates its own. Idempotent: safe to
# run again. Run it before `npm test` to have the SSH integration tests run.
set -euo pipefail

log() { printf 'setup-ssh-integration: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (it installs packages and creates users)"
  exit 1
fi

need_pkgs=()
[ -x /usr/sbin/sshd ] || need_pkgs+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || need_pkgs+=(openssh-client)
command -v sudo >/dev/null 2>&1 || need_pkgs+=(sudo)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d exit 101 keeps the package's maintainer scripts from starting
  # the system sshd; removed again whatever happens.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    own_policy=1
  fi
  trap 'if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi' EXIT
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# sshd refuses to start without its privilege separation directory.
install -d -m 0755 /run/sshd

make_user() {
  local user=$1
  if ! getent passwd "$user" >/dev/null; then
    log "creating user $user"
    useradd --create-home --shell /bin/bash --user-group "$user"
  fi
  # A locked password (`!`) would make sshd without PAM refuse key logins as
  # well ("account is locked"); `*` means "no password login" without locking.
  usermod -p '*' "$user"
  local home
  home=$(getent passwd "$user" | cut -d: -f6)
  install -d -m 0755 -o "$user" -g "$user" "$home"
}

make_user palisade-ci
make_user palisade-nosudo

sudoers=/etc/sudoers.d/palisade-ci
rule='palisade-ci ALL=(ALL:ALL) NOPASSWD: ALL'
if [ ! -f "$sudoers" ] || [ "$(cat "$sudoers")" != "$rule" ]; then
  log "granting palisade-ci passwordless sudo in $sudoers"
  tmp=$(mktemp)
  printf '%s\n' "$rule" >"$tmp"
  visudo -cq -f "$tmp"
  install -m 0440 -o root -g root "$tmp" "$sudoers"
  rm -f "$tmp"
fi
# Docker over SSH (`docker: ssh` in an inventory) runs `docker system
# dial-stdio` as the login user: palisade-ci may use the local engine.
if getent group docker >/dev/null; then
  usermod -aG docker palisade-ci
fi

# palisade-nosudo must stay without rights, whatever ran before.
rm -f /etc/sudoers.d/palisade-nosudo

log "ready: $(/usr/sbin/sshd -V 2>&1 | head -1 || true); users palisade-ci (sudo -n) and palisade-nosudo"

#!/usr/bin/env bash
# Provisions what the HTML report browser test needs on a Debian machine, as
# root: Debian's chromium package (/usr/bin/chromium). The test drives it with
# playwright-core (a devDependency); no browser build is ever downloaded.
# Idempotent: safe to run again. apt runs under /tmp/palisade-apt.lock because
# other setup scripts may run apt at the same time.
set -euo pipefail

log() { printf 'setup-browser-integration: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (it installs packages)"
  exit 1
fi

if [ -x /usr/bin/chromium ]; then
  log "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
log "installing chromium"
flock /tmp/palisade-apt.lock apt-get update -qq
flock /tmp/palisade-apt.lock apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
log "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"

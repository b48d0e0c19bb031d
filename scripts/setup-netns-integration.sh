#!/usr/bin/env bash
# Provisions what the segmentation integration test
# (test/integration/segmentation.test.ts) needs on a Debian machine, as root:
# iproute2 (`ip netns`, veth, bridge) and nftables. The test makes its own
# network namespaces, addresses (198.18.0.0/15) and rules, and removes them;
# nothing is configured here. sshd and the test users come from
# scripts/setup-ssh-integration.sh. Idempotent: safe to run again. Ends by
# checking that a namespace with a veth and an nftables table can be made here.
set -euo pipefail

log() { printf 'setup-netns-integration: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (it installs packages and makes network namespaces)"
  exit 1
fi

need_pkgs=()
command -v ip >/dev/null 2>&1 || need_pkgs+=(iproute2)
command -v nft >/dev/null 2>&1 || need_pkgs+=(nftables)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# A throw-away namespace proves the kernel and the container allow what the
# test does: netns, veth, an nftables table inside the namespace.
check="pal-setup-$$"
cleanup() { ip netns delete "$check" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$check"
ip -n "$check" link add chk0 type veth peer name chk1
ip netns exec "$check" nft add table inet palisade_setup_check
log "ok: ip netns, veth and nftables work"

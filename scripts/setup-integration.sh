#!/usr/bin/env bash
# Provisions what the integration tests need on a Debian machine, as root:
# Debian's docker.io with dockerd running, and a one-file busybox image made
# with `docker import` (there is no registry to pull from). Idempotent: safe
# to run again. Used by .ci/run; run it yourself before `npm test` to have the
# integration tests run locally.
set -euo pipefail

log() { printf 'setup-integration: %s\n' "$*" >&2; }

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need_pkgs+=(busybox-static)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# dockerd: start it unless an engine already answers on the local socket.
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  nohup dockerd >/tmp/palisade-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see /tmp/palisade-dockerd.log"; tail -20 /tmp/palisade-dockerd.log >&2; exit 1; }
fi

# The test image: busybox-static as a one-file root filesystem.
image=palisade-test/busybox:1
if ! docker image inspect "$image" >/dev/null 2>&1; then
  log "building $image with docker import"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in sh sleep ps cat ls id; do ln -s busybox "$root/bin/$applet"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/sleep","3600"]' - "$image" >/dev/null
  rm -rf "$root"
fi
log "ready: $(docker version --format 'engine {{.Server.Version}}') image $image"

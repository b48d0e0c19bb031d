#!/bin/sh
# A private Docker engine for the benchmarks, so 1,000 bench containers never
# appear on the shared engine (/var/run/docker.sock) that other integration
# tests scan with --all. Everything lives under $ROOT (default
# /tmp/palisade-bench): its own data root, exec root (and its own containerd),
# pid file and socket; no bridge, no iptables. Needs root.
#
# It runs in a network namespace of its own (`unshare --net`; `ip netns exec`
# would also remount /sys, hiding the cgroup mounts dockerd needs): a dockerd with
# --bridge=none deletes a `docker0` interface it finds, and in the host's
# namespace that is the shared engine's bridge (its containers then fail with
# "could not find bridge docker0").
#
#   bench/private-dockerd.sh start   # start it and load palisade-test/busybox:1 from the shared engine
#   bench/private-dockerd.sh stop    # stop it (containers go with its data root on `clean`)
#   bench/private-dockerd.sh clean   # stop it and delete $ROOT
#
# npm run bench starts and stops it itself (bench/run.ts).
set -eu
ROOT=${PALISADE_BENCH_ROOT:-/tmp/palisade-bench}
SOCK="$ROOT/docker.sock"
PID="$ROOT/docker.pid"
IMAGE=palisade-test/busybox:1

running() { [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; }

case "${1:-}" in
  start)
    mkdir -p "$ROOT/data" "$ROOT/exec"
    if ! running; then
      unshare --net -- dockerd --data-root "$ROOT/data" --exec-root "$ROOT/exec" --pidfile "$PID" \
        -H "unix://$SOCK" --bridge=none --iptables=false --ip6tables=false \
        --cgroup-parent palisade-bench --log-level error >"$ROOT/dockerd.log" 2>&1 &
      i=0
      until docker -H "unix://$SOCK" version >/dev/null 2>&1; do
        i=$((i + 1))
        if [ "$i" -gt 120 ]; then echo "private dockerd did not start; see $ROOT/dockerd.log" >&2; exit 1; fi
        sleep 0.5
      done
    fi
    if ! docker -H "unix://$SOCK" image inspect "$IMAGE" >/dev/null 2>&1; then
      docker save "$IMAGE" | docker -H "unix://$SOCK" load >/dev/null
    fi
    echo "unix://$SOCK"
    ;;
  stop)
    if running; then
      kill "$(cat "$PID")"
      i=0
      while running; do
        i=$((i + 1))
        if [ "$i" -gt 120 ]; then echo "private dockerd did not stop" >&2; exit 1; fi
        sleep 0.5
      done
    fi
    ;;
  clean)
    "$0" stop
    # dockerd leaves its network namespaces and data root mounted in the
    # host's mount namespace; unmount them (deepest first) before deleting.
    awk -v root="$ROOT" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
      umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$ROOT"
    ;;
  *)
    echo "usage: $0 start|stop|clean" >&2
    exit 2
    ;;
esac

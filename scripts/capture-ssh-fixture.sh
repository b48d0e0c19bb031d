#!/bin/sh
# Captures the palisade probe's output on this machine as a fixture, by running
# the very script the SSH checker sends (buildProbeScript) with the local sh.
# No SSH is involved, and the probe itself is read-only.
#
#   scripts/capture-ssh-fixture.sh debian-12
#       as root: writes fixtures/ssh/debian-12/probe.txt
#   scripts/capture-ssh-fixture.sh --as nobody bad/not-root-no-sudo
#       as root, runs the probe as another user (setpriv), e.g. to record the
#       sections a user without sudo cannot collect
#   scripts/capture-ssh-fixture.sh --sudo --as deploy bad/...
#       builds the script with sudo enabled, as an inventory `sudo: true` would
#
# The output is stored as the probe printed it; review it before committing
# (it lists this machine's packages, listening sockets and firewall rules).
set -eu

usage() {
  echo "usage: $0 [--sudo] [--as USER] NAME" >&2
  exit 2
}

sudo_flag=false
as_user=''
while [ $# -gt 0 ]; do
  case $1 in
    --sudo) sudo_flag=true; shift ;;
    --as) [ $# -ge 2 ] || usage; as_user=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || usage
name=$1
case $name in
  *..*|/*|'') echo "$0: NAME must be a relative path under fixtures/ssh" >&2; exit 2 ;;
esac

if [ "$(id -u)" != 0 ]; then
  echo "$0: run as root: the fixture must show what a root login collects (use --as to record another user)" >&2
  exit 1
fi

root=$(cd "$(dirname "$0")/.." && pwd)
out_dir=$root/fixtures/ssh/$name
script=$(mktemp)
trap 'rm -f "$script"' EXIT INT TERM

cd "$root"
npx --no-install tsx -e "
import { buildProbeScript } from './src/checkers/ssh/probe.ts';
process.stdout.write(buildProbeScript({ sudo: $sudo_flag }));
" >"$script"

mkdir -p "$out_dir"
# The script goes to sh on stdin, as the SSH transport sends it; every section
# reads /dev/null, so no command can swallow the rest of the script.
if [ -n "$as_user" ]; then
  uid=$(id -u "$as_user")
  gid=$(id -g "$as_user")
  (cd / && setpriv --reuid="$uid" --regid="$gid" --clear-groups sh -s) <"$script" >"$out_dir/probe.txt"
else
  (cd / && sh -s) <"$script" >"$out_dir/probe.txt"
fi
echo "wrote $out_dir/probe.txt ($(wc -c <"$out_dir/probe.txt") bytes)" >&2

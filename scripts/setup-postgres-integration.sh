#!/usr/bin/env bash
# Provisions the PostgreSQL server the history-store integration tests use, on
# Debian, as root: Debian's `postgresql`, a cluster listening on 127.0.0.1
# only, and a role and database for the tests with a password. Idempotent:
# safe to run again (used by .ci/run; run it yourself before `npm test`).
#
# Tests read PALISADE_TEST_PG_URL, default
#   postgres://palisade:palisade@127.0.0.1:5432/palisade_test
# Override the port, role, password or database with the PALISADE_PG_* variables below.
set -euo pipefail

port=${PALISADE_PG_PORT:-5432}
role=${PALISADE_PG_ROLE:-palisade}
password=${PALISADE_PG_PASSWORD:-palisade}
database=${PALISADE_PG_DATABASE:-palisade_test}

log() { printf 'setup-postgres-integration: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "run as root (it installs packages and starts a cluster as the postgres user)"
  exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  flock /tmp/palisade-apt.lock apt-get update -qq
  flock /tmp/palisade-apt.lock apt-get install -y -qq postgresql >/dev/null
fi

# The newest installed major version; its cluster "main" (made by the package, or here).
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
cluster=main
if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  log "creating cluster $version/$cluster on port $port"
  pg_createcluster "$version" "$cluster" --port "$port" >/dev/null
fi

conf=/etc/postgresql/$version/$cluster
# Loopback only, password authentication (scram) for TCP clients. A conf.d file
# (Debian's postgresql.conf includes conf.d/) wins over the main file.
pg_conftool "$version" "$cluster" remove listen_addresses || true
wanted=$(cat <<CONF
listen_addresses = '127.0.0.1'
port = $port
password_encryption = 'scram-sha-256'
# The concurrency tests open a handful of connections per process.
max_connections = 200
CONF
)
changed=0
if [ "$(cat "$conf/conf.d/palisade-tests.conf" 2>/dev/null)" != "$wanted" ]; then
  printf '%s\n' "$wanted" >"$conf/conf.d/palisade-tests.conf"
  changed=1
fi
if ! grep -q '^host[[:space:]]\+all[[:space:]]\+all[[:space:]]\+127.0.0.1/32[[:space:]]\+scram-sha-256' "$conf/pg_hba.conf"; then
  echo 'host all all 127.0.0.1/32 scram-sha-256' >>"$conf/pg_hba.conf"
fi

status=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }')
if [ "$status" = online ]; then
  if [ "$changed" = 1 ]; then
    log "cluster $version/$cluster is running; restarting it for the new settings"
    pg_ctlcluster "$version" "$cluster" restart
  fi
  pg_ctlcluster "$version" "$cluster" reload
else
  log "starting cluster $version/$cluster"
  pg_ctlcluster "$version" "$cluster" start
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL does not answer on 127.0.0.1:$port; see /var/log/postgresql/"; exit 1; }

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -p "$port" "$@"; }

# Role and password (the password is a test fixture, not a secret).
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
  log "creating role $role"
  psql_admin -c "CREATE ROLE \"$role\" LOGIN PASSWORD '$password'"
else
  psql_admin -c "ALTER ROLE \"$role\" LOGIN PASSWORD '$password'"
fi
# The tests create and drop their own databases (one per test file) next to the main one.
psql_admin -c "ALTER ROLE \"$role\" CREATEDB"
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  log "creating database $database"
  psql_admin -c "CREATE DATABASE \"$database\" OWNER \"$role\""
fi

log "ready"
echo "export PALISADE_TEST_PG_URL=postgres://$role:$password@127.0.0.1:$port/$database"

#!/usr/bin/env bash
# A PostgreSQL server for the tests of the second store (issue 16).
#   .ci/postgres.sh [start]   installs Debian's postgresql if missing, starts a private server (its own data folder
#                             and port, trust auth on 127.0.0.1 only), creates the database and prints its URL on
#                             stdout (everything else goes to stderr). A second run finds it running and prints the
#                             same URL; a server of the system (the Debian cluster on 5432) is left alone.
#   .ci/postgres.sh stop      stops that server.
# KAKUNIN_CI_PG_DIR and KAKUNIN_CI_PG_PORT move it elsewhere.
set -euo pipefail

data=${KAKUNIN_CI_PG_DIR:-/tmp/kakunin-ci-pg}
port=${KAKUNIN_CI_PG_PORT:-54329}
database=kakunin_test

log() { echo "postgres.sh: $*" >&2; }

# The server refuses to run as root: as root, run its programs as the postgres user (from / so a private work tree
# as the current folder does not matter).
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The newest installed server (a client-only package has psql but no postgres binary).
bin_dir() {
  local servers
  servers=$(ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V) || true
  [ -n "$servers" ] && dirname "$(echo "$servers" | tail -n 1)"
}

# The pid file names a live server: not a zombie, not a pid that another program got since (CI reuses the machine).
server_alive() {
  local pid stat
  pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null) || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $stat == "$pid (postgres) "* ]] && [[ $stat != "$pid (postgres) Z"* ]]
}

bin=$(bin_dir || true)

if [ "${1:-start}" = stop ]; then
  if [ -n "$bin" ] && server_alive; then
    as_server_user "$bin/pg_ctl" stop -D "$data" -m fast -w >&2
  else
    log "no server running in $data"
  fi
  exit 0
fi

if [ -z "$bin" ]; then
  log "installing postgresql (Debian's packages)"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
  bin=$(bin_dir)
fi
version=$(basename "$(dirname "$bin")")

# A folder from another major version (or a half-made one) is thrown away: it only ever holds test databases.
if [ -d "$data" ] && [ "$(cat "$data/PG_VERSION" 2>/dev/null || true)" != "$version" ]; then
  if server_alive; then
    log "a server of another version runs in $data: stop it first"
    exit 1
  fi
  log "removing $data (not a PostgreSQL $version data folder)"
  rm -rf "$data"
fi

if [ ! -d "$data" ]; then
  log "initdb $data (PostgreSQL $version)"
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
  chmod 700 "$data"
  as_server_user "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale --no-sync >&2
  # A throwaway test server: no fsync (an OS crash may lose it, and that is fine), sockets inside its own folder.
  cat >>"$data/postgresql.conf" <<EOF

# .ci/postgres.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
fsync = off
full_page_writes = off
EOF
fi

if server_alive; then
  log "already running in $data"
else
  # Lock files without a server were left by one that was killed; the server would refuse to start beside them if
  # their pid now belongs to another process.
  rm -f "$data/postmaster.pid" "$data"/.s.PGSQL.*
  log "starting the server on 127.0.0.1:$port"
  if ! as_server_user "$bin/pg_ctl" start -D "$data" -l "$data/server.log" -w -t 60 >&2; then
    tail -n 30 "$data/server.log" >&2 || true
    exit 1
  fi
fi

for _ in $(seq 1 60); do
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && break
  sleep 0.5
done
if ! "$bin/pg_isready" -h 127.0.0.1 -p "$port" -U postgres >&2; then
  tail -n 30 "$data/server.log" >&2 || true
  exit 1
fi

psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)
if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  "${psql[@]}" -c "CREATE DATABASE $database" >&2
fi

echo "postgres://postgres@127.0.0.1:$port/$database"

# A private PostgreSQL 15 cluster on a Unix socket under a state directory: the default database for the
# demo and the tests. Durability settings stay at their defaults (fsync, synchronous_commit on).
# shellcheck shell=bash

PGBIN=/usr/lib/postgresql/15/bin

# Runs a command as the cluster's owner: postgres when we are root (initdb refuses root), else ourselves.
as_pg_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR PORT: creates the cluster on first use, starts it if needed.
pg_start() {
  local dir="$1" port="$2"
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
  chmod 700 "$dir"
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    as_pg_owner "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
shared_buffers = 256MB
max_connections = 200
wal_buffers = 16MB
max_wal_size = 2GB
# Backends ask the kernel to write out what they dirty every 256 kB instead of leaving it to the 30 s
# writeback, which after a burst flushes hundreds of MB at once and stalls commits' fsync (docs/performance.md).
backend_flush_after = 256kB
CONF
  fi
  if ! as_pg_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_pg_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
  fi
  # Create the database once.
  if ! "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = 'portcullis'" | grep -q 1; then
    "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qc "CREATE DATABASE portcullis" >/dev/null
  fi
}

pg_stop() {
  local dir="$1"
  [[ -f "$dir/data/PG_VERSION" ]] || return 0
  as_pg_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Connection strings: the owner (migrations) and the least-privileged application role.
pg_admin_conninfo() { echo "host=$1 port=$2 user=postgres dbname=portcullis"; }
pg_app_conninfo() { echo "host=$1 port=$2 user=portcullis_app dbname=portcullis"; }

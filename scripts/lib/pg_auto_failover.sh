# A pg_auto_failover formation on one machine, for the database failover test: a monitor and two
# PostgreSQL 15 nodes (primary and synchronous standby) under one directory, on 127.0.0.1 ports, with
# their Unix sockets in that directory. docs/operations.md shows the same set-up on separate machines.
# shellcheck shell=bash

# as_pg_owner (run as postgres when root: initdb and pg_autoctl refuse root) and PGBIN.
# shellcheck source=postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"

PG_AUTOCTL=/usr/bin/pg_autoctl

# The monitor decides a primary has failed after about 2 s without an answer to its health checks (default
# 20 s) and promotes the standby 1.5 s later (default 30 s, the time an isolated old primary gets to demote
# itself: the keepers' network_partition_timeout is shortened to match); a standby being promoted waits 2 s
# instead of 5 s for the last WAL of a primary that is gone. docs/operations.md sets up separate machines
# with the same values and says what they risk.
paf_tune_monitor() {
  local dir="$1"
  paf_monitor_psql "$dir" -qc "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500" \
    -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 1500" \
    -c "SELECT pg_reload_conf()" >/dev/null
}

# paf_monitor_psql DIR PSQL-ARGS...: psql on the monitor's database, as its owner.
paf_monitor_psql() {
  local dir="$1"
  shift
  "$PGBIN/psql" -h "$dir" -p "$(cat "$dir/monitor.port")" -U postgres -d pg_auto_failover "$@"
}

# paf_ctl DIR ARGS...: pg_autoctl on the formation in DIR, as the cluster owner. PATH: Debian's PostgreSQL
# 15 binaries first (another pg_ctl on the PATH would be taken otherwise). XDG_*: pg_autoctl keeps each
# node's configuration, state and pid file under these, by default in the owner's home and /tmp: inside
# DIR, a run leaves nothing behind for the next one to mistake for its own.
paf_ctl() {
  local dir="$1"
  shift
  as_pg_owner env PATH="$PGBIN:$PATH" PG_REGRESS_SOCK_DIR="$dir" XDG_CONFIG_HOME="$dir/config" \
    XDG_DATA_HOME="$dir/share" XDG_RUNTIME_DIR="$dir/run" "$PG_AUTOCTL" "$@"
}

# paf_run NAME DIR ARGS...: runs a pg_autoctl service in the background, logging to DIR/NAME.log. setsid:
# the service and the PostgreSQL it starts form a process group of their own, which paf_stop_service ends
# as one, as a machine's death would.
paf_run() {
  local name="$1" dir="$2"
  shift 2
  as_pg_owner env PATH="$PGBIN:$PATH" PG_REGRESS_SOCK_DIR="$dir" XDG_CONFIG_HOME="$dir/config" \
    XDG_DATA_HOME="$dir/share" XDG_RUNTIME_DIR="$dir/run" setsid "$PG_AUTOCTL" "$@" >>"$dir/$name.log" 2>&1 &
}

# paf_service_pid DIR NAME: the process id of the node's pg_autoctl service (from its pid file), if any.
paf_service_pid() {
  local file="$1/run/pg_autoctl$1/$2/pg_autoctl.pid"
  [[ -f "$file" ]] && head -1 "$file"
}

# paf_stop_service DIR NAME [SIGNAL]: ends the node's pg_autoctl service and every process it started.
paf_stop_service() {
  local dir="$1" name="$2" signal="${3:-TERM}" pid i
  pid="$(paf_service_pid "$dir" "$name")" || true
  if [[ -n "$pid" ]]; then
    kill -"$signal" -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  # A PostgreSQL left running (its service died before): stopped without waiting for anything.
  if [[ -f "$dir/$name/postmaster.pid" ]]; then
    as_pg_owner "$PGBIN/pg_ctl" -D "$dir/$name" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}

# paf_create DIR: creates and starts the monitor and the first node (primary), then the second (standby),
# and waits until the formation reports one primary and one secondary.
paf_create() {
  local dir="$1" base=$((20000 + RANDOM % 20000))
  # pg_autoctl only uses an XDG directory that exists (else it falls back to the home directory or /tmp).
  mkdir -p "$dir" "$dir/config" "$dir/share" "$dir/run"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir" "$dir/config" "$dir/share" "$dir/run"; fi
  chmod 755 "$dir"
  chmod 700 "$dir/run"
  echo "$base" >"$dir/monitor.port"
  echo $((base + 1)) >"$dir/node1.port"
  echo $((base + 2)) >"$dir/node2.port"
  # The monitor listens on every address (create monitor has no --listen), but the pg_hba.conf rules it
  # writes admit loopback connections only; the nodes listen on 127.0.0.1 alone.
  paf_run monitor "$dir" create monitor --pgdata "$dir/monitor" --pgport "$base" --hostname 127.0.0.1 \
    --auth trust --no-ssl --pgctl "$PGBIN/pg_ctl" --run
  paf_wait 60 "the monitor to accept connections" paf_monitor_psql "$dir" -Atqc "SELECT 1"
  paf_tune_monitor "$dir"
  local monitor="postgres://autoctl_node@127.0.0.1:$base/pg_auto_failover?sslmode=disable" node
  for node in node1 node2; do
    paf_run "$node" "$dir" create postgres --pgdata "$dir/$node" --pgport "$(cat "$dir/$node.port")" \
      --pghost "$dir" --hostname 127.0.0.1 --listen 127.0.0.1 --name "$node" --monitor "$monitor" \
      --dbname portcullis \
      --auth trust --no-ssl --pgctl "$PGBIN/pg_ctl" --run
    if [[ $node == node1 ]]; then
      paf_wait 60 "node1 to start as a single node" paf_state_is "$dir" "node1:single"
    fi
  done
  paf_wait 120 "a primary and a synchronous secondary" paf_standby_joined "$dir" node1 node2
  local node_dir
  for node_dir in "$dir/node1" "$dir/node2"; do
    paf_ctl "$dir" config set --pgdata "$node_dir" timeout.network_partition_timeout 1 >/dev/null
    paf_ctl "$dir" config set --pgdata "$node_dir" timeout.prepare_promotion_walreceiver 2 >/dev/null
  done
}

# paf_standby_joined DIR PRIMARY STANDBY: whether STANDBY runs as the synchronous secondary of PRIMARY. A new
# standby's base backup waits for a checkpoint on the primary, by default a spread one that takes minutes on
# an idle cluster: an explicit CHECKPOINT makes the pending one finish at once.
paf_standby_joined() {
  local dir="$1" primary="$2" standby="$3"
  if [[ "$(paf_monitor_psql "$dir" -Atqc \
    "SELECT reportedstate FROM pgautofailover.node WHERE nodename = '$standby'")" == wait_standby ]]; then
    "$PGBIN/psql" -h "$dir" -p "$(cat "$dir/$primary.port")" -U postgres -d postgres -qc CHECKPOINT || true
  fi
  paf_state_is "$dir" "$(paf_ordered_states "$dir" "$primary:primary" "$standby:secondary")"
}

# paf_ordered_states DIR "name:state"...: the states in name order, as paf_states prints them.
paf_ordered_states() {
  shift
  printf '%s\n' "$@" | sort | paste -sd' '
}

# paf_states DIR: "name:state" of every node, by name (reported states as the monitor sees them).
paf_states() {
  paf_monitor_psql "$1" -Atqc \
    "SELECT string_agg(nodename || ':' || reportedstate, ' ' ORDER BY nodename) FROM pgautofailover.node" \
    2>/dev/null
}

# paf_state_is DIR "name:state ...": whether the reported states are exactly those, and each node's goal
# state is the same as its reported one (no transition under way).
paf_state_is() {
  local dir="$1" want="$2" settled
  settled="$(paf_monitor_psql "$dir" -Atqc \
    "SELECT bool_and(reportedstate = goalstate) FROM pgautofailover.node" 2>/dev/null)"
  [[ "$settled" == t && "$(paf_states "$dir")" == "$want" ]]
}

# paf_primary DIR: the node the monitor holds as primary now (by goal: a dead primary keeps reporting its
# last state).
paf_primary() {
  paf_monitor_psql "$1" -Atqc \
    "SELECT nodename FROM pgautofailover.node WHERE goalstate IN ('primary', 'wait_primary', 'single')"
}

# paf_wait SECONDS WHAT COMMAND...: polls COMMAND every 200 ms until it succeeds, or fails naming WHAT.
paf_wait() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${seconds}s waiting for $what" >&2
      return 1
    fi
    sleep 0.2
  done
}

# paf_kill_primary DIR: the primary's machine dies: its keeper and PostgreSQL are killed at once.
paf_kill_primary() {
  local dir="$1" node
  node="$(paf_primary "$dir")"
  paf_stop_service "$dir" "$node" KILL
  echo "$node"
}

# paf_destroy DIR: stops every service of the formation (nodes first, then the monitor) and removes DIR.
paf_destroy() {
  local dir="$1" name
  for name in node1 node2 monitor; do paf_stop_service "$dir" "$name" TERM || true; done
  rm -rf "$dir"
}

# paf_restart_node DIR NAME: starts the node's keeper again (after paf_kill_primary): it rejoins the
# formation, rewound to follow the new primary, as its secondary.
paf_restart_node() {
  local dir="$1" name="$2"
  paf_run "$name" "$dir" run --pgdata "$dir/$name"
}

# paf_switchover DIR: a planned switchover: the primary steps down and the secondary is promoted. Returns
# once the monitor has started it; paf_standby_joined tells when the formation has settled again.
paf_switchover() {
  local dir="$1"
  paf_ctl "$dir" perform switchover --pgdata "$dir/node1" >>"$dir/switchover.log" 2>&1
}

#!/usr/bin/env bash
# Store-and-forward smoke test of portcullis-gateway against a real server: a private PostgreSQL and
# portcullisd (as scripts/demo starts them, on other ports), an OSDP bridge emulator streaming N card reads over
# TCP, the server killed mid-stream and restarted. Passes when every read is stored exactly once, in seq order,
# and a restarted gateway (same state directory) continues with seqs the server accepts.
#   device-adapters/gateway/smoke-store-and-forward.sh [BUILD_DIR]   (needs portcullisd and portcullis-gateway
#   built in BUILD_DIR, default build-gw; env: N=300 events, PORT=8643, PG_PORT=54349, BUS_PORT=9601)
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib/common.sh"
source "$PORTCULLIS_ROOT/scripts/lib/postgres.sh"
source "$PORTCULLIS_ROOT/scripts/lib/certs.sh"

build="${1:-$PORTCULLIS_ROOT/build-gw}"
portcullisd="${PORTCULLISD:-$build/server/app/portcullisd}"
gateway="$build/device-adapters/gateway/portcullis-gateway"
n="${N:-300}" port="${PORT:-8643}" pg_port="${PG_PORT:-54349}" bus_port="${BUS_PORT:-9601}"
for exe in "$portcullisd" "$gateway"; do [[ -x "$exe" ]] || { echo "missing $exe (build it first)" >&2; exit 2; }; done

state="$(mktemp -d /tmp/portcullis-gateway-smoke.XXXXXX)"
chmod 755 "$state"
server_pid="" feeder_pid="" gateway_pid=""
cleanup() {
  for pid in $gateway_pid $feeder_pid $server_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pg_stop "$state/pg"
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$state"
}
trap cleanup EXIT

site_file="$PORTCULLIS_ROOT/examples/datacenter.site.json"
pg_start "$state/pg" "$pg_port"
make_tls "$state/tls"
export PORTCULLIS_ADMIN_DATABASE="$(pg_admin_conninfo "$state/pg" "$pg_port")"
export PORTCULLIS_DATABASE="$(pg_app_conninfo "$state/pg" "$pg_port")"
export PORTCULLIS_TLS_CERT="$state/tls/server.crt" PORTCULLIS_TLS_KEY="$state/tls/server.key"
export PORTCULLIS_DEVICE_CA="$state/tls/device-ca.crt" PORTCULLIS_LISTEN="127.0.0.1:$port"
export PORTCULLIS_SITE_FILE="$site_file" PORTCULLIS_SITE_ID="$(jq -r .site_id "$site_file")"
"$portcullisd" migrate >/dev/null
(umask 077; "$portcullisd" add-device ctl-lobby door_controller >"$state/ctl-lobby.token")

start_server() {
  "$portcullisd" serve >>"$state/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    curl -sf --cacert "$state/tls/ca.crt" "https://localhost:$port/api/v1/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  cat "$state/server.log" >&2
  exit 1
}
start_server

for i in $(seq 0 $((n - 1))); do echo "card 1 H10301 42 $((20000 + i))"; done | "$gateway" encode - >"$state/bus.bin"
python3 - "$state/bus.bin" "$bus_port" >"$state/feeder.log" 2>&1 <<'PY' &
import random, socket, sys, time
data = open(sys.argv[1], "rb").read()
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(sys.argv[2]))); srv.listen(1)
conn, _ = srv.accept()
random.seed(7); i = 0
while i < len(data):  # chunks of 1-40 bytes every 10 ms: frames split anywhere
    n = random.randint(1, 40); conn.sendall(data[i:i + n]); i += n; time.sleep(0.01)
print("feeder done", flush=True)
time.sleep(3600)
PY
feeder_pid=$!
sleep 0.5
printf '{"readers": {"1": "rdr-lobby-in"}}\n' >"$state/map.json"
"$gateway" --server "https://localhost:$port" --ca "$state/tls/ca.crt" --token-file "$state/ctl-lobby.token" \
  --device-id ctl-lobby --map "$state/map.json" --tcp "127.0.0.1:$bus_port" --state-dir "$state" \
  >"$state/gateway.log" 2>&1 &
gateway_pid=$!

sleep 1.2
log "killing the server mid-stream"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
sleep 3
log "restarting the server"
start_server

count() {
  "$PGBIN/psql" -h "$state/pg" -p "$pg_port" -U postgres -d portcullis -Atc \
    "SELECT count(*) FROM events WHERE device_id = 'ctl-lobby' AND type = 'credential'"
}
for _ in $(seq 120); do [[ "$(count)" -ge "$n" ]] && break; sleep 0.5; done
kill -TERM "$gateway_pid"; rc=0; wait "$gateway_pid" || rc=$?; gateway_pid=""
cat "$state/gateway.log"

read -r total distinct ordered <<<"$("$PGBIN/psql" -h "$state/pg" -p "$pg_port" -U postgres -d portcullis -AtF ' ' -c "
  WITH e AS (SELECT site_seq, device_seq, payload FROM events WHERE device_id = 'ctl-lobby' AND type = 'credential')
  SELECT count(*), count(DISTINCT payload),
         bool_and(device_seq > coalesce(prev, 0))
  FROM (SELECT *, lag(device_seq) OVER (ORDER BY site_seq) AS prev FROM e) x")"
echo "stored $total credential events, $distinct distinct cards, seqs increasing in commit order: $ordered; gateway exit $rc"
[[ "$total" == "$n" && "$distinct" == "$n" && "$ordered" == "t" && "$rc" == 0 ]] || { echo "FAIL" >&2; exit 1; }
grep -q "server unreachable" "$state/gateway.log" || { echo "FAIL: the outage was not seen" >&2; exit 1; }

# The gateway itself restarts: the persisted seq mark means no seq is reused (the server would refuse 409).
max_before="$("$PGBIN/psql" -h "$state/pg" -p "$pg_port" -U postgres -d portcullis -Atc \
  "SELECT max(device_seq) FROM events WHERE device_id = 'ctl-lobby'")"
"$gateway" encode "$(dirname "$0")/examples/morning.osdp" |
  "$gateway" --server "https://localhost:$port" --ca "$state/tls/ca.crt" --token-file "$state/ctl-lobby.token" \
    --device-id ctl-lobby --map "$(dirname "$0")/examples/lobby.map.json" --input - --state-dir "$state" \
    2>"$state/gateway2.log" || { cat "$state/gateway2.log"; echo "FAIL: restarted gateway" >&2; exit 1; }
read -r after min_new <<<"$("$PGBIN/psql" -h "$state/pg" -p "$pg_port" -U postgres -d portcullis -AtF ' ' -c \
  "SELECT count(*), min(device_seq) FROM events WHERE device_id = 'ctl-lobby' AND device_seq > $max_before")"
echo "after a gateway restart: $after more events stored, first seq $min_new > $max_before"
[[ "$after" == 7 ]] || { cat "$state/gateway2.log"; echo "FAIL" >&2; exit 1; }
echo "PASS: $n events across a server restart, each stored exactly once, in order; no seq reused after a gateway restart"

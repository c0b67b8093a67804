#!/usr/bin/env bash
# The database failover tier: starts a pg_auto_failover formation on this machine (a monitor, a primary and
# its synchronous standby, scripts/lib/pg_auto_failover.sh), runs the failover end-to-end test against it
# (tests/e2e/database_failover_e2e_test.cpp: devices keep posting while the primary dies and later during a
# switchover) and tears every process of the formation down again, whether the test passed or not.
# Usage: database_failover_test.sh DATABASE_FAILOVER_E2E_TESTS_BINARY
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/lib/pg_auto_failover.sh
source "$repo/scripts/lib/pg_auto_failover.sh"
binary="${1:?usage: database_failover_test.sh DATABASE_FAILOVER_E2E_TESTS_BINARY}"

if [[ ! -x "$PG_AUTOCTL" ]]; then
  echo "pg_auto_failover is not installed (pg-auto-failover-cli, postgresql-15-auto-failover:" \
    "scripts/lib/common.sh lists them)" >&2
  exit 1
fi

state="$(mktemp -d /tmp/portcullis-failover.XXXXXX)"
chmod 755 "$state"
formation="$state/formation"
show_logs() {
  local name
  for name in monitor node1 node2; do
    [[ -f "$formation/$name.log" ]] || continue
    echo "---- last lines of the $name keeper's log"
    tail -n 25 "$formation/$name.log"
  done
}
cleanup() {
  local status=$?
  [[ $status -ne 0 ]] && show_logs
  paf_destroy "$formation"
  rm -rf "$state"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # through the EXIT trap: an interrupted run leaves no formation behind

started=$SECONDS
paf_create "$formation"
echo "formation up in $((SECONDS - started)) s: $(paf_states "$formation")"

export PORTCULLIS_TEST_FAILOVER_DIR="$formation"
export PORTCULLIS_TEST_PGHOST="$formation,$formation"
PORTCULLIS_TEST_PGPORT="$(cat "$formation/node1.port"),$(cat "$formation/node2.port")"
export PORTCULLIS_TEST_PGPORT
export PORTCULLIS_TEST_STATE="$state"
"$binary" --gtest_filter='DatabaseFailoverE2E.*'

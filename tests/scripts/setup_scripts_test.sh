#!/usr/bin/env bash
# Tests of the set-up functions of scripts/lib/common.sh: ensure_packages and ensure_node run with
# dpkg-query, apt-get, sudo, id, node and npm replaced by stubs on PATH, and the exact apt calls they make
# are compared with what a bare machine and a machine that has everything need. Nothing is installed.
#   tests/scripts/setup_scripts_test.sh      (ctest runs it with the unit tests)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/portcullis-setup-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# The functions under test (this also sets -euo pipefail, as in the scripts).
# shellcheck source=../../scripts/lib/common.sh
source "$repo/scripts/lib/common.sh"

# The full package list, written out: a change to it is a deliberate change to this test as well.
every_package="build-essential cmake ninja-build pkg-config ccache git ca-certificates curl jq \
libboost1.81-dev libssl-dev openssl libpqxx-dev postgresql-15 pg-auto-failover-cli postgresql-15-auto-failover \
nlohmann-json3-dev \
libgtest-dev libgmock-dev libbenchmark-dev qt6-base-dev qt6-websockets-dev libgl-dev qt6-charts-dev libqt6opengl6-dev \
xvfb xauth fonts-dejavu-core libcairo2-dev libpango1.0-dev fonts-wqy-microhei qpdf poppler-utils \
libzip-dev unzip \
clang libclang-rt-14-dev shellcheck prometheus rsyslog \
pgbackrest"

# --- stubs ------------------------------------------------------------------------------------------
# Each stub appends what it was asked to $STUB_LOG. dpkg-query answers from $STUB_INSTALLED (one package
# a line); id -u answers $STUB_UID. The stubs only use bash builtins, so PATH can hold nothing else.
stubs="$work/stubs"
mkdir -p "$stubs"
# write_stub NAME: the stub's body comes on stdin.
write_stub() {
  { printf '#!%s\n' "$BASH"; cat; } >"$stubs/$1"
  chmod +x "$stubs/$1"
}
write_stub dpkg-query <<'STUB'
package="${!#}"
while read -r installed; do
  [[ "$installed" == "$package" ]] && { printf "install ok installed"; exit 0; }
done <"$STUB_INSTALLED"
echo "dpkg-query: no packages found matching $package" >&2
exit 1
STUB
write_stub apt-get <<'STUB'
echo "apt-get $* (DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-unset})" >>"$STUB_LOG"
STUB
write_stub id <<'STUB'
[[ "$1" == -u ]] && echo "$STUB_UID"
STUB
# Like the real sudo: the environment is reset, so a variable meant for the command must be passed inside.
write_stub sudo <<'STUB'
echo "sudo $1" >>"$STUB_LOG"
exec "${0%/*}/env" -i PATH="$PATH" STUB_LOG="$STUB_LOG" "$@"
STUB
write_stub node <<<'echo v18.20.4'
write_stub npm <<<'echo 9.2.0'
# The only real programs the functions use: grep (dpkg-query ... | grep -q) and env.
ln -s "$(command -v grep)" "$stubs/grep"
ln -s "$(command -v env)" "$stubs/env"

# machine_path WITH...: a directory for PATH holding grep, env and the named stubs, and nothing else.
machine_path() {
  local dir tool
  dir="$(mktemp -d "$work/path.XXXXXX")"
  for tool in grep env "$@"; do ln -s "$stubs/$tool" "$dir/$tool"; done
  echo "$dir"
}

failures=0
# run_case NAME INSTALLED UID PATH_DIR EXPECTED_STATUS EXPECTED_LOG COMMAND...
#   runs COMMAND (a function of common.sh) in a subshell on the stubbed machine and compares its exit
#   status and the apt/sudo calls it made.
run_case() {
  local name="$1" installed="$2" uid="$3" path_dir="$4" want_status="$5" want_log="$6"
  shift 6
  local log="$work/$name.log" status=0 packages=()
  : >"$log"
  read -ra packages <<<"$installed"
  printf '%s\n' "${packages[@]}" >"$work/$name.installed"
  (
    unset PORTCULLIS_SKIP_INSTALL DEBIAN_FRONTEND
    export STUB_LOG="$log" STUB_INSTALLED="$work/$name.installed" STUB_UID="$uid"
    PATH="$path_dir"
    "$@"
  ) >"$work/$name.out" 2>&1 || status=$?
  local got_log
  got_log="$(<"$log")"
  if [[ "$status" == "$want_status" && "$got_log" == "$want_log" ]]; then
    echo "ok   $name"
  else
    failures=$((failures + 1))
    echo "FAIL $name"
    echo "  exit status: want $want_status, got $status"
    echo "  want calls:"; printf '%s\n' "$want_log" | sed 's/^/    /'
    echo "  got calls:"; printf '%s\n' "$got_log" | sed 's/^/    /'
    echo "  output:"; sed 's/^/    /' "$work/$name.out"
  fi
}

everything_path="$(machine_path dpkg-query apt-get id sudo node npm)"
bare_path="$(machine_path dpkg-query apt-get id sudo)"
no_sudo_path="$(machine_path dpkg-query apt-get id)"
install_line() { echo "apt-get install -y -qq --no-install-recommends $* (DEBIAN_FRONTEND=noninteractive)"; }
update_line="apt-get update -qq (DEBIAN_FRONTEND=unset)"

# --- ensure_packages --------------------------------------------------------------------------------
all_packages() { ensure_packages "${PORTCULLIS_PACKAGES[@]}"; }

run_case ensure_packages_on_a_bare_machine_as_root_installs_every_package \
  "" 0 "$bare_path" 0 \
  "$update_line
$(install_line "$every_package")" \
  all_packages

run_case ensure_packages_on_a_bare_machine_through_sudo_keeps_apt_noninteractive \
  "" 1000 "$bare_path" 0 \
  "sudo apt-get
$update_line
sudo env
$(install_line "$every_package")" \
  all_packages

run_case ensure_packages_without_root_or_sudo_installs_nothing_and_fails \
  "" 1000 "$no_sudo_path" 1 "" \
  all_packages

run_case ensure_packages_on_a_machine_with_everything_installs_nothing \
  "$every_package nodejs npm" 0 "$everything_path" 0 "" \
  all_packages

run_case ensure_packages_installs_only_the_missing_ones \
  "${every_package/ shellcheck/}" 0 "$everything_path" 0 \
  "$update_line
$(install_line shellcheck)" \
  all_packages

run_case ensure_packages_installs_the_packages_named_as_arguments \
  "cmake" 0 "$bare_path" 0 \
  "$update_line
$(install_line jq curl)" \
  ensure_packages cmake jq curl

skip_install() { PORTCULLIS_SKIP_INSTALL=1 all_packages; }
run_case ensure_packages_with_PORTCULLIS_SKIP_INSTALL_installs_nothing \
  "" 0 "$bare_path" 0 "" \
  skip_install

# --- ensure_node ------------------------------------------------------------------------------------
run_case ensure_node_on_a_bare_machine_installs_nodejs_and_npm \
  "" 0 "$bare_path" 0 \
  "$update_line
$(install_line nodejs npm)" \
  ensure_node

run_case ensure_node_on_a_machine_with_node_and_npm_installs_nothing \
  "$every_package" 0 "$everything_path" 0 "" \
  ensure_node

run_case ensure_node_with_debian_nodejs_but_no_npm_installs_npm \
  "nodejs" 0 "$(machine_path dpkg-query apt-get id node)" 0 \
  "$update_line
$(install_line npm)" \
  ensure_node

if [[ $failures -ne 0 ]]; then
  echo "$failures set-up script test(s) failed"
  exit 1
fi
echo "all set-up script tests passed"

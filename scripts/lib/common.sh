# Shared by scripts/demo and scripts/test: install what is missing, configure and build.
# shellcheck shell=bash
set -euo pipefail

PORTCULLIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PORTCULLIS_ROOT

# The Debian 12 packages the scripts need, and why.
# shellcheck disable=SC2034 # read by the scripts that source this file: ensure_packages "${PORTCULLIS_PACKAGES[@]}"
PORTCULLIS_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache # compile: C++20, CMake + Ninja, cached rebuilds
  git ca-certificates curl jq                         # fetch and talk HTTPS; jq reads the site file in the demo
  libboost1.81-dev libssl-dev openssl                 # Boost.Beast HTTPS/WebSocket server, TLS material
  libpqxx-dev postgresql-15                           # the storage adapter and the private test/demo cluster
  pg-auto-failover-cli postgresql-15-auto-failover    # database failover: the monitor and keepers of the failover test (docs/operations.md)
  nlohmann-json3-dev                                  # JSON mapping
  libgtest-dev libgmock-dev libbenchmark-dev          # unit/integration tests and benchmarks
  qt6-base-dev qt6-websockets-dev libgl-dev           # the guard console
  qt6-charts-dev libqt6opengl6-dev                    # the console's report charts (Qt Charts; its CMake package needs Qt6OpenGL, which Debian's qt6-charts-dev does not pull in)
  xvfb xauth fonts-dejavu-core                        # the console under a virtual display (live screenshots)
  libcairo2-dev libpango1.0-dev                       # the audit PDF report: drawn by cairo, text shaped by pango
  fonts-wqy-microhei                                  # CJK glyphs for the PDF (5 MB; DejaVu has Latin/Greek/Cyrillic/Arabic)
  qpdf poppler-utils                                  # the PDF tests check reports with qpdf, pdffonts, pdftotext, pdfsig
  libzip-dev unzip                                    # the audit evidence bundle (a zip); its test unpacks with unzip
  clang libclang-rt-14-dev                            # the codec fuzzers (libFuzzer) of scripts/fuzz-smoke
  shellcheck                                          # .ci/run lints every script in scripts/ and tests/scripts/
  prometheus                                          # promtool checks /metrics as Prometheus reads it
  rsyslog                                             # a real syslog receiver (rsyslogd, imtcp) the SIEM feed's end-to-end test sends to
  pgbackrest                                          # backup and point-in-time restore of the event store (docs/operations.md); its e2e test restores one
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# ensure_packages PACKAGE...: installs those of the named Debian packages that are not installed yet.
ensure_packages() {
  [[ -n "${PORTCULLIS_SKIP_INSTALL:-}" ]] && return 0
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "installing missing packages: ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  # Through env, not as a prefix: sudo resets the environment and would drop DEBIAN_FRONTEND.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Node.js runs the third-party clients of the end-to-end tests (GS1's epcis2.js). A machine may already
# have Node from elsewhere: only install Debian's when there is none.
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  ensure_packages nodejs npm
}

# The EPCIS end-to-end client (tests/e2e/epcis: GS1's epcis2.js from npm). `npm ci` runs once per
# package-lock.json: a stamp in node_modules holds the lock file's hash.
ensure_epcis_client() {
  local dir="$PORTCULLIS_ROOT/tests/e2e/epcis"
  [[ -f "$dir/package-lock.json" ]] || return 0
  ensure_node
  local want have=""
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  [[ -f "$dir/node_modules/.portcullis-lock-sha256" ]] && have="$(cat "$dir/node_modules/.portcullis-lock-sha256")"
  [[ "$want" == "$have" ]] && return 0
  log "installing the EPCIS e2e client (npm ci in tests/e2e/epcis)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" >"$dir/node_modules/.portcullis-lock-sha256"
}

# configure_and_build BUILD_DIR [--target TARGET --] [extra cmake args...]: everything, or only TARGET.
configure_and_build() {
  local dir="$1" build_target=()
  shift
  if [[ "${1:-}" == --target ]]; then
    build_target=(--target "$2")
    shift 3
  fi
  export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
  # Relative paths in the cache key: a fresh clone elsewhere (CI) still hits the cache.
  export CCACHE_BASEDIR="$PORTCULLIS_ROOT" CCACHE_NOHASHDIR=1
  if [[ ! -f "$dir/build.ninja" ]]; then
    log "configuring $dir"
    cmake -S "$PORTCULLIS_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  fi
  log "building $dir"
  cmake --build "$dir" "${build_target[@]}" -- -j"${PORTCULLIS_JOBS:-$(nproc)}"
}

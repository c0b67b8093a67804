#!/usr/bin/env bash
# Rules about the source tree itself, checked with the unit tests:
#  1. Dependency rules: each folder includes only the project headers (#include "portcullis/<name>/...")
#     that the README's "Dependency rules" table allows it, and every folder holding C++ has a row there
#     (the most specific row applies). The table is the documentation and the rule at once.
#  2. Comments give reasons, not tracker numbers: no "issue 12" in the code, whose reader needs the why.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
failures=0
fail() { failures=$((failures + 1)); echo "FAIL $*"; }

# Rows of the table: "| `folder/` | `name`, `name` (why) ... |" between the heading and the next heading.
declare -A allowed=()
# shellcheck disable=SC2016  # the backquotes are Markdown, not command substitutions
while IFS= read -r row; do
  folder="$(sed -E 's/^\| `([^`]+)`.*/\1/' <<<"$row")"
  folder="${folder%/}"
  names="$(cut -d'|' -f3 <<<"$row" | grep -oE '`[a-z_]+`' | tr -d '`' | tr '\n' ' ' || true)"
  allowed["$folder"]="$names"
done < <(awk '/^### Dependency rules/ { on = 1; next } on && /^#/ { exit } on && /^\| `/' README.md)
[[ ${#allowed[@]} -gt 0 ]] || { echo "FAIL README.md has no Dependency rules table"; exit 1; }

# rule_for FILE: the most specific folder of the table that holds FILE, or nothing.
rule_for() {
  local file="$1" best="" folder
  for folder in "${!allowed[@]}"; do
    if [[ "$file" == "$folder/"* && ${#folder} -gt ${#best} ]]; then best="$folder"; fi
  done
  echo "$best"
}

checked=0
while IFS= read -r file; do
  folder="$(rule_for "$file")"
  if [[ -z "$folder" ]]; then
    fail "$file: its folder has no row in README.md's Dependency rules table"
    continue
  fi
  checked=$((checked + 1))
  while IFS= read -r name; do
    [[ " ${allowed[$folder]} " == *" $name "* ]] ||
      fail "$file includes portcullis/$name/, which $folder/ may not (README.md, Dependency rules)"
  done < <(grep -oE '^#include "portcullis/[a-z_]+/' "$file" | sed -E 's|.*portcullis/([a-z_]+)/|\1|' | sort -u)
done < <(git ls-files -- 'server/*' 'device-adapters/*' 'device-client/*' 'simulators/*' 'desktop-console/*' |
  grep -E '\.(cpp|hpp)$' | grep -v '/fuzz/')
[[ $checked -gt 100 ]] || fail "only $checked files were checked: is the table or the tree missing?"
echo "ok   dependency rules over $checked files"

# 2. Tracker numbers in comments (the tests folder included: a test's comment says what it pins, and why).
if matches="$(git grep -nIE '(//|#|/\*|^ \*).*\b[Ii]ssues? #?[0-9]+' -- server device-adapters device-client \
  simulators desktop-console tests scripts cmake db 'CMakeLists.txt' ':!*/node_modules/*' \
  ':!tests/scripts/source_rules_test.sh')"; then
  fail "comments name tracker issues instead of giving the reason:"
  echo "$matches"
else
  echo "ok   no comment names a tracker issue"
fi

[[ $failures -eq 0 ]] || { echo "$failures failure(s)"; exit 1; }

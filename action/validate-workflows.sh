#!/usr/bin/env bash
# Validates action.yml and every workflow in .github/workflows against their schemas with @action-validator/cli
# (action/package.json; scripts/install-prerequisites.sh installs it), and checks that the validator rejects a
# broken key in each kind of file, so a validator that accepts anything fails here too.
# Every way out prints the line test.sh counts: "workflow check: P passed, F failed".
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
validator="$repo/action/node_modules/.bin/action-validator"
passed=0
failed=0
scratch=
trap 'rm -rf "$scratch"; echo "workflow check: $passed passed, $failed failed"' EXIT

check() { # NAME EXPECTED(valid|invalid) FILE
  local out status=0
  out=$("$validator" "$3" 2>&1) || status=$?
  if { [ "$2" = valid ] && [ "$status" = 0 ]; } || { [ "$2" = invalid ] && [ "$status" != 0 ]; }; then
    passed=$((passed + 1)); echo "validate-workflows: ok: $1"
  else
    failed=$((failed + 1)); echo "validate-workflows: FAILED: $1 (expected $2, exit $status)"; printf '%s\n' "$out" | head -40
  fi
}

if [ ! -x "$validator" ]; then
  echo "validate-workflows: FAILED: $validator is missing (npm ci --prefix action)"
  failed=1
  exit 1
fi
shopt -s nullglob
workflows=("$repo"/.github/workflows/*.yml "$repo"/.github/workflows/*.yaml)
[ ${#workflows[@]} -gt 0 ] || { echo "validate-workflows: FAILED: no workflows in .github/workflows"; failed=1; exit 1; }
check action.yml valid "$repo/action.yml"
for workflow in "${workflows[@]}"; do check ".github/workflows/${workflow##*/}" valid "$workflow"; done

# The validator picks the schema by file name; a misspelt key must fail in both.
scratch=$(mktemp -d)
mkdir "$scratch/action" "$scratch/workflow"
sed 's/^  image: /  imag: /' "$repo/action.yml" >"$scratch/action/action.yml"
check "action.yml with 'imag:' is rejected" invalid "$scratch/action/action.yml"
sed '0,/^    runs-on: /s//    run-on: /' "${workflows[0]}" >"$scratch/workflow/${workflows[0]##*/}"
check "${workflows[0]##*/} with 'run-on:' is rejected" invalid "$scratch/workflow/${workflows[0]##*/}"
[ "$failed" = 0 ]

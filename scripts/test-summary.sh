#!/usr/bin/env bash
# Prints the summary of a test.sh run from what the suites left, never from what did not report:
#   scripts/test-summary.sh RESULTS_DIR LOG
# RESULTS_DIR holds one folder per test project with the TRX file `dotnet test --logger trx` wrote there
# (Directory.Build.targets points each project at artifacts/test-results/<project>); LOG is the run's output, for
# the scripts' "container test: N passed, N failed" and "workflow check: ..." lines. Every expected suite that left no result (a
# project that did not build, a host that never started, a script that died before its line) counts as one failed
# test and is named. Prints one line per suite, then "tests: N passed, N failed"; exits 1 when a suite is missing.
set -euo pipefail
results=$1
log=$2
suites=(ArtifactBuildTools.Tests ArtifactBuildTools.Tasks.Tests ArtifactBuildTools.Action.Tests)
passed=0 failed=0 missing=0

# The value of attribute $1 in the TRX element text $2 (0 when absent).
attribute() { local v; v=$(grep -o " $1=\"[^\"]*\"" <<<"$2" | head -n1 | cut -d'"' -f2); echo "${v:-0}"; }

for suite in "${suites[@]}"; do
  shopt -s nullglob
  trx=("$results/$suite"/*.trx)
  shopt -u nullglob
  if [ "${#trx[@]}" -eq 0 ]; then
    echo "suite $suite: FAILED: no test result (it did not build or did not run)"
    failed=$((failed + 1)) missing=$((missing + 1))
    continue
  fi
  p=0 f=0 aborted=false
  for file in "${trx[@]}"; do
    counters=$(grep -o '<Counters [^>]*>' "$file" || true)
    outcome=$(attribute outcome "$(grep -o '<ResultSummary [^>]*>' "$file" || true)")
    p=$((p + $(attribute passed "$counters")))
    f=$((f + $(attribute failed "$counters") + $(attribute error "$counters") + $(attribute timeout "$counters") + $(attribute aborted "$counters")))
    # A crashed or timed-out test host leaves counters only for what ran before it (often none) and a RunInfo
    # of outcome Error ("The active test run was aborted"): the suite did not complete.
    case "$outcome" in Completed | Passed | Failed) ;; *) aborted=true ;; esac
    if grep -q '<RunInfo [^>]*outcome="Error"' "$file"; then aborted=true; fi
  done
  if [ "$aborted" = true ]; then
    echo "suite $suite: FAILED: the test run did not complete (see its RunInfo in ${trx[0]})"
    f=$((f + 1)) missing=$((missing + 1))
  fi
  echo "suite $suite: $p passed, $f failed"
  passed=$((passed + p)) failed=$((failed + f))
done

# The scripts' own count lines: the last one each printed, or a failed suite when it printed none.
for line in "container test:action/test-container.sh" "workflow check:action/validate-workflows.sh"; do
  label=${line%%:*}: script=${line#*:}
  if counted=$(grep -E "^$label [0-9]+ passed, [0-9]+ failed" "$log" | tail -n1); then
    read -r p f < <(sed -E "s/^$label ([0-9]+) passed, ([0-9]+) failed.*/\\1 \\2/" <<<"$counted")
    echo "suite ${label%:}: $p passed, $f failed"
    passed=$((passed + p)) failed=$((failed + f))
  else
    echo "suite ${label%:}: FAILED: $script printed no \"$label\" line"
    failed=$((failed + 1)) missing=$((missing + 1))
  fi
done

echo "tests: $passed passed, $failed failed"
[ "$missing" -eq 0 ]

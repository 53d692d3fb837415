#!/usr/bin/env bash
# Runs every test: installs the Debian packages the tests need, then the .NET test suites (unit, integration
# against real docker-registry instances, interop with skopeo, MSBuild scenarios, the action), then the
# action's container build-and-run test. Prints one summary line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
bash scripts/install-prerequisites.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test ArtifactBuildTools.sln -c Release 2>&1 | tee "$log" || status=$?
for script in action/validate-workflows.sh action/test-container.sh; do
  if [ -f "$script" ]; then
    bash "$script" 2>&1 | tee -a "$log" || status=$?
  fi
done
# Reports the suites write (e.g. the fault-injection table) go to the CI log.
for report in artifacts/reports/*.md; do [ -f "$report" ] && cat "$report"; done
# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, ..." line per test project.
awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { f += $2; p += $4 } /^(container test|workflow check): / { p += $2; f += $3 }
  END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit $status

#!/usr/bin/env bash
# Runs every test: installs the Debian packages the tests need, then the .NET test suites (unit, integration
# against real docker-registry instances, interop with skopeo, MSBuild scenarios, the action), then the
# action's container build-and-run test. Prints one summary line "tests: N passed, N failed", counted from the
# suites' own result files (scripts/test-summary.sh): a suite that did not report counts as failed.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
bash scripts/install-prerequisites.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# Nothing a previous run left may be counted or printed for this one.
rm -rf artifacts/reports artifacts/test-results
dotnet test ArtifactBuildTools.sln -c Release --logger trx 2>&1 | tee "$log" || status=$?
for script in action/validate-workflows.sh action/test-container.sh; do
  if [ -f "$script" ]; then
    bash "$script" 2>&1 | tee -a "$log" || status=$?
  fi
done
# Reports the suites write (e.g. the fault-injection table) go to the CI log.
for report in artifacts/reports/*.md; do if [ -f "$report" ]; then cat "$report"; fi; done
bash scripts/test-summary.sh artifacts/test-results "$log" || status=1
exit $status

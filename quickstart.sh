#!/usr/bin/env bash
# Publishes samples/HelloApp and pushes the publish output to the embedded default store, a local OCI image
# layout under ./artifacts/oci, then prints the digest and the exact pull command.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
publish=artifacts/publish/HelloApp
dotnet publish samples/HelloApp -c Release -o "$publish" -v quiet -nologo
dotnet run --project src/ArtifactBuildTools.Cli -c Release -- push oci:artifacts/oci:1.0.0 "$publish"

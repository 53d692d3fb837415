#!/usr/bin/env bash
# Installs what the tests and benchmarks need from Debian's packages: a real registry (CNCF Distribution),
# skopeo for interop checks, git for the reproducibility tests' repositories, htpasswd and openssl for the auth and TLS fixtures, curl to run the Download Commands we print, and buildah/podman/runc/
# debootstrap for building and running the GitHub Action's container image without a daemon, clang and zlib1g-dev, which
# the AOT compiler links with (a host `dotnet publish -r RID` of the action or the CLI), and Go with oras-go 1.1.1 for the
# ORAS interop peer (tests/interop/oras).
set -euo pipefail
packages=(docker-registry skopeo apache2-utils openssl curl git buildah podman runc debootstrap uidmap clang zlib1g-dev golang-go golang-oras-oras-go-dev)
# Node.js and npm for the npm test tools below, from Debian where the machine has none.
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# @action-validator/cli (action/package.json and its lock file) for action/validate-workflows.sh.
action_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../action" && pwd)"
if [ ! -x "$action_dir/node_modules/.bin/action-validator" ]; then
  npm ci --prefix "$action_dir" --no-audit --no-fund --loglevel=error
fi
# sigstore-js and ajv, independent checkers of our Sigstore bundles and SBOMs (versions pinned by tests/interop/node/package-lock.json).
interop="$(dirname "${BASH_SOURCE[0]}")/../tests/interop/node"
if [ ! -d "$interop/node_modules/ajv" ] || [ ! -d "$interop/node_modules/@sigstore/verify" ]; then
  npm ci --prefix "$interop" --no-audit --no-fund --loglevel=error
fi

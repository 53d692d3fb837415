#!/usr/bin/env bash
# Installs what the tests and benchmarks need from Debian's packages: a real registry (CNCF Distribution),
# skopeo for interop checks, htpasswd and openssl for the auth and TLS fixtures, curl to run the Download Commands we print, and buildah/podman/runc/
# debootstrap for building and running the GitHub Action's container image without a daemon.
set -euo pipefail
# @action-validator/cli (action/package.json and its lock file) for action/validate-workflows.sh.
action_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../action" && pwd)"
if [ ! -x "$action_dir/node_modules/.bin/action-validator" ]; then
  command -v npm >/dev/null || { echo "npm is missing: install Node.js (the workflow check needs @action-validator/cli)" >&2; exit 1; }
  npm ci --prefix "$action_dir" --no-audit --no-fund --loglevel=error
fi
packages=(docker-registry skopeo apache2-utils openssl curl buildah podman runc debootstrap uidmap)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Installs what the tests and benchmarks need from Debian's packages: a real registry (CNCF Distribution),
# skopeo for interop checks, htpasswd and openssl for the auth and TLS fixtures, curl to run the Download Commands we print, and buildah/podman/runc/
# debootstrap for building and running the GitHub Action's container image without a daemon.
set -euo pipefail
packages=(docker-registry skopeo apache2-utils openssl curl buildah podman runc debootstrap uidmap)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# sigstore-js and ajv, independent checkers of our Sigstore bundles and SBOMs (versions pinned by tests/interop/node/package-lock.json).
interop="$(dirname "$0")/../tests/interop/node"
[ -d "$interop/node_modules/ajv" ] && [ -d "$interop/node_modules/@sigstore/verify" ] || npm ci --prefix "$interop" --no-audit --no-fund >/dev/null
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

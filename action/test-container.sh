#!/usr/bin/env bash
# Container test of the GitHub Action: builds the image from action/Dockerfile with buildah (no daemon) on a
# Debian bookworm minbase made locally with debootstrap and passed as the BASE_IMAGE build argument, then runs it
# with podman exactly as actions/runner runs a container action (INPUT_* and GITHUB_* variables, /github/*
# mounts, working directory /github/workspace): a real push to a loopback docker-registry with Basic auth, then a
# pull by the digest output in a second container, compared byte for byte.
#
# Needs root, buildah, podman, runc, debootstrap, docker-registry, htpasswd, curl, python3 and the .NET SDK; a
# missing one fails the run (never a silent skip). The debootstrap root file system is cached in
# ${ABT_BASE_CACHE:-/var/tmp/abt-base}; everything else lives in a temporary folder removed on exit.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${ABT_BASE_CACHE:-/var/tmp/abt-base}
started=$SECONDS
say() { printf 'test-container: %s\n' "$*"; }
# The last line is the summary test.sh counts: "container test: N passed, N failed".
fail() { printf 'test-container: FAILED: %s\ncontainer test: 0 passed, 1 failed\n' "$*" >&2; exit 1; }
phase() { say "$1 ($((SECONDS - started)) s)"; }

[ "$(id -u)" = 0 ] || fail "must run as root (buildah/podman with a private vfs store)"
for tool in buildah podman runc debootstrap docker-registry htpasswd curl python3 dotnet sha256sum; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing: apt-get install -y buildah podman runc debootstrap docker-registry apache2-utils curl python3 (and the .NET SDK)"
done

work=$(mktemp -d /var/tmp/abt-container-XXXXXX)
store=(--root "$work/storage" --runroot "$work/runroot" --storage-driver vfs)
registry_pid=
cleanup() {
  local status=$?
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  buildah "${store[@]}" rm --all >/dev/null 2>&1 || true
  podman "${store[@]}" rm --all --force >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# 1. The base: Debian bookworm minbase plus what .NET needs (OpenSSL 3, CA certificates), cached as a tarball.
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || fail "no Debian mirror found in /etc/apt/sources.list.d/debian.sources"
base_tar="$cache/bookworm-minbase-dotnet.tar"
if [ ! -s "$base_tar" ]; then
  phase "debootstrap bookworm minbase from $mirror into $cache (first run only)"
  mkdir -p "$cache"
  rootfs="$work/rootfs"
  debootstrap --variant=minbase --include=libssl3,ca-certificates bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap failed"; }
  rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/info/* \
    "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* "$rootfs"/dev/*
  tar -C "$rootfs" -cf "$base_tar.partial" .
  mv "$base_tar.partial" "$base_tar"
  rm -rf "$rootfs"
else
  phase "using cached base $base_tar"
fi
container=$(buildah "${store[@]}" from scratch)
buildah "${store[@]}" add "$container" "$base_tar" / >/dev/null
buildah "${store[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$container"
buildah "${store[@]}" commit --quiet "$container" localhost/abt-base:bookworm >/dev/null
buildah "${store[@]}" rm "$container" >/dev/null

# 2. The program: self-contained linux-x64 single file, the only thing in the build context.
phase "publishing ArtifactBuildTools.Action for linux-x64"
dotnet publish "$repo/action/ArtifactBuildTools.Action/ArtifactBuildTools.Action.csproj" -c Release -r linux-x64 \
  -p:DebugType=none -o "$work/publish" --nologo -v quiet >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; fail "dotnet publish failed"; }
mkdir "$work/context"
cp "$work/publish/abt-action" "$work/context/"

# 3. The image, from the base passed as a build argument.
phase "buildah bud action/Dockerfile"
buildah "${store[@]}" bud --isolation chroot --build-arg BASE_IMAGE=localhost/abt-base:bookworm \
  -f "$repo/action/Dockerfile" -t localhost/abt-action:test "$work/context" >"$work/bud.log" 2>&1 \
  || { cat "$work/bud.log" >&2; fail "buildah bud failed"; }
image_size=$(podman "${store[@]}" image inspect --format '{{.Size}}' localhost/abt-action:test)
say "image localhost/abt-action:test is $((image_size / 1024 / 1024)) MiB (program $(( $(stat -c %s "$work/context/abt-action") / 1024 / 1024 )) MiB)"

# 4. A loopback registry with Basic auth.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
password="pw-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$work/registry"
htpasswd -Bbn ci-user "$password" >"$work/registry/htpasswd"
cat >"$work/registry/config.yml" <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port, secret: container-test}
auth: {htpasswd: {realm: abt-container-test, path: $work/registry/htpasswd}}
YAML
env -u REGISTRY_HTTP_ADDR docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/v2/" && break
  sleep 0.1
done
curl -s -o /dev/null "http://127.0.0.1:$port/v2/" || { cat "$work/registry/log" >&2; fail "docker-registry did not start"; }

# 5. Runs the action container as the runner does; $1 names the step, the rest are NAME=VALUE inputs.
run_step() {
  local step=$1; shift
  local root="$work/$step"
  mkdir -p "$root/workspace" "$root/home" "$root/workflow" "$root/file_commands"
  : >"$root/file_commands/set_output"
  : >"$root/file_commands/step_summary"
  printf '{"ref":"refs/tags/v1.2.3"}' >"$root/workflow/event.json"
  [ -d "$work/build" ] && cp -a "$work/build/." "$root/workspace/"
  local env_args=(
    -e HOME=/github/home -e GITHUB_ACTIONS=true -e CI=true
    -e GITHUB_WORKSPACE=/github/workspace -e GITHUB_EVENT_PATH=/github/workflow/event.json
    -e GITHUB_OUTPUT=/github/file_commands/set_output -e GITHUB_STEP_SUMMARY=/github/file_commands/step_summary
    -e GITHUB_REPOSITORY=octo-org/octo-repo -e GITHUB_REF=refs/tags/v1.2.3 -e GITHUB_REF_NAME=v1.2.3 -e GITHUB_REF_TYPE=tag
    -e GITHUB_SHA=0123456789abcdef0123456789abcdef01234567 -e GITHUB_EVENT_NAME=push -e GITHUB_ACTOR=octocat
    -e GITHUB_RUN_ID=1 -e GITHUB_SERVER_URL=https://github.com -e GITHUB_API_URL=https://api.github.com
    -e INPUT_REGISTRY="127.0.0.1:$port" -e INPUT_USERNAME=ci-user -e INPUT_PASSWORD="$password"
    -e INPUT_GITHUB-TOKEN=ghs_containertesttoken -e INPUT_ARTIFACT-TYPE=application/vnd.artifactbuildtools.artifact.v1
    -e INPUT_OUTPUT=. -e INPUT_INSECURE=false -e INPUT_COMMIT-STATUS=false -e INPUT_DEPLOYMENT=false -e INPUT_PR-COMMENT=false
  )
  local input
  for input in "$@"; do env_args+=(-e "INPUT_$input"); done
  podman "${store[@]}" --runtime runc run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network host \
    --workdir /github/workspace \
    -v "$root/workspace:/github/workspace" -v "$root/home:/github/home" \
    -v "$root/workflow:/github/workflow" -v "$root/file_commands:/github/file_commands" \
    "${env_args[@]}" localhost/abt-action:test >"$root/log" 2>&1 || { cat "$root/log" >&2; fail "the $step step failed"; }
  sed 's/^/    | /' "$root/log"
  if grep -v '^::add-mask::' "$root/log" | grep -qF "$password"; then fail "the $step step printed the registry password"; fi
  [ "$(head -1 "$root/log")" = "::add-mask::$password" ] || fail "the $step step did not mask the password first"
}

# The value of a heredoc output in a GITHUB_OUTPUT file.
output() {
  awk -v name="$2" '
    d == "" && index($0, name "<<") == 1 { d = substr($0, length(name) + 3); next }
    d != "" && $0 == d { exit }
    d != "" { print }' "$work/$1/file_commands/set_output"
}

mkdir -p "$work/build/publish/lib" "$work/build/publish/empty"
head -c 3000000 /dev/urandom >"$work/build/publish/lib/app.bin"
printf 'hello from the container test\n' >"$work/build/publish/readme.txt"
ln -s readme.txt "$work/build/publish/link.txt"

phase "push step (podman run, --network host)"
run_step push PATH=publish
digest=$(output push digest)
reference=$(output push reference)
tags=$(output push tags | paste -sd, -)
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "no digest output (got '$digest')"
[ "$reference" = "127.0.0.1:$port/octo-org/octo-repo@$digest" ] || fail "reference output is '$reference'"
[ "$tags" = "1.2.3,1.2,1,latest,sha-0123456" ] || fail "tags output is '$tags'"
grep -qF "$digest" "$work/push/file_commands/step_summary" || fail "the job summary lacks the digest"
listed=$(curl -s -u "ci-user:$password" "http://127.0.0.1:$port/v2/octo-org/octo-repo/tags/list")
for tag in 1.2.3 1.2 1 latest sha-0123456; do
  grep -q "\"$tag\"" <<<"$listed" || fail "tag $tag missing in the registry: $listed"
done

phase "pull step by the digest output"
rm -rf "$work/build"
run_step pull "PULL=$reference" OUTPUT=restored
[ "$(output pull digest)" = "$digest" ] || fail "pull digest output differs"
diff -r --no-dereference "$work/push/workspace/publish" "$work/pull/workspace/restored/publish" || fail "pulled files differ from the pushed ones"
[ "$(sha256sum <"$work/push/workspace/publish/lib/app.bin")" = "$(sha256sum <"$work/pull/workspace/restored/publish/lib/app.bin")" ] || fail "app.bin differs"

say "passed in $((SECONDS - started)) s: pushed and pulled $digest through the container (image $((image_size / 1024 / 1024)) MiB)"
echo "container test: 1 passed, 0 failed"

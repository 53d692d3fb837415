#!/usr/bin/env bash
# Container test of the GitHub Action, as a user meets it: runs scripts/release-action.sh (the release workflow's
# steps) against a loopback docker-registry with Basic auth: it builds the Dockerfile that action.yml names, with
# buildah (no daemon), pushes it, pins the pushed digest in a copy of action.yml and checks with skopeo and podman
# that the pinned image is the one pushed and starts. Then it runs that pinned image with podman exactly as
# actions/runner runs a container action (INPUT_* and GITHUB_* variables, /github/* mounts, working directory
# /github/workspace): a real push, then a pull by the digest output in a second container, compared byte for byte.
#
# Nothing can be pulled here, so the Dockerfile's two bases come in as its build arguments: BASE_IMAGE a Debian
# bookworm minbase made with debootstrap, SDK_IMAGE that base plus this machine's .NET SDK; the build stage installs
# clang and zlib1g-dev for the AOT compiler from the Debian mirror the base came from, and restores from this
# machine's NuGet cache (filled by a host restore first, the AOT compiler package included), mounted into the build.
#
# Needs root, buildah, podman, runc, skopeo, debootstrap, docker-registry, htpasswd, curl and the .NET SDK; a
# missing one fails the run (never a silent skip). The debootstrap root file system is cached in
# ${ABT_BASE_CACHE:-/var/tmp/abt-base}; everything else lives in a temporary folder removed on exit. Every way out
# prints the line test.sh counts: "container test: P passed, F failed".
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${ABT_BASE_CACHE:-/var/tmp/abt-base}
started=$SECONDS
passed=0
say() { printf 'test-container: %s\n' "$*"; }
fail() { printf 'test-container: FAILED: %s\n' "$*" >&2; exit 1; }
phase() { say "$1 ($((SECONDS - started)) s)"; }
pass() { passed=$((passed + 1)); say "ok: $1 ($((SECONDS - started)) s)"; }

work=
registry_pid=
store=()
cleanup() {
  local status=$?
  trap - EXIT
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  if [ -n "$work" ]; then
    buildah "${store[@]}" rm --all >/dev/null 2>&1 || true
    podman "${store[@]}" rm --all --force >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
  # Whatever ended the script (a check, or any command under set -e), one summary line.
  if [ "$status" = 0 ]; then
    echo "container test: $passed passed, 0 failed"
  else
    echo "test-container: stopped with exit status $status after $passed passed check(s)" >&2
    echo "container test: $passed passed, 1 failed"
  fi
  exit "$status"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || fail "must run as root (buildah/podman with a private vfs store)"
for tool in buildah podman runc skopeo debootstrap docker-registry htpasswd curl dotnet sha256sum; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing: apt-get install -y buildah podman runc skopeo debootstrap docker-registry apache2-utils curl (and the .NET SDK)"
done

work=$(mktemp -d /var/tmp/abt-container-XXXXXX)
store=(--root "$work/storage" --runroot "$work/runroot" --storage-driver vfs)
# The same store, runtime and network for every container tool the release script calls.
cat >"$work/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$work/storage"
runroot = "$work/runroot"
CONF
cat >"$work/containers.conf" <<CONF
[containers]
netns = "host"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_STORAGE_CONF="$work/storage.conf" CONTAINERS_CONF="$work/containers.conf" BUILDAH_ISOLATION=chroot

# 1. The bases: Debian bookworm minbase plus what .NET needs (OpenSSL 3, CA certificates), cached as a tarball;
#    the SDK image is that base plus this machine's .NET SDK. ABT_CONTAINER_BASES=default (a machine that can pull,
#    such as a GitHub runner) builds on the Dockerfile's own images instead, restoring from nuget.org in the build.
release_env=()
if [ "${ABT_CONTAINER_BASES:-local}" = default ]; then
  phase "using the Dockerfile's default bases (ABT_CONTAINER_BASES=default)"
else
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
  container=$(buildah from scratch)
  buildah add "$container" "$base_tar" / >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$container"
  buildah commit --quiet "$container" localhost/abt-base:bookworm >/dev/null
  buildah rm "$container" >/dev/null

  phase "SDK image: the base plus this machine's .NET SDK"
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  container=$(buildah from localhost/abt-base:bookworm)
  buildah copy --quiet "$container" "$dotnet_root" /usr/share/dotnet >/dev/null
  buildah run "$container" ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
  # No ICU in the minbase; this machine's NuGet service needs offline revocation checks, as on the host.
  # NuGetAudit off: the vulnerability feed is not reachable from the build here; every package comes from the cache.
  buildah config --env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 --env NUGET_CERT_REVOCATION_MODE=offline --env NuGetAudit=false "$container"
  buildah commit --quiet "$container" localhost/abt-sdk:10.0 >/dev/null
  buildah rm "$container" >/dev/null

  phase "host restore of the action for linux-x64 (fills the NuGet cache the build stage mounts)"
  nuget_packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
  dotnet restore "$repo/action/ArtifactBuildTools.Action/ArtifactBuildTools.Action.csproj" -r linux-x64 \
    --nologo -v quiet >"$work/restore.log" 2>&1 || { cat "$work/restore.log" >&2; fail "dotnet restore failed"; }
  release_env=(SDK_IMAGE=localhost/abt-sdk:10.0 BASE_IMAGE=localhost/abt-base:bookworm
    "ABT_BUD_OPTS=--volume $nuget_packages:/root/.nuget/packages")
fi

# 2. A loopback registry with Basic auth, on a free port (a port someone answers on is skipped; a lost race retried).
password="pw-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$work/registry"
htpasswd -Bbn ci-user "$password" >"$work/registry/htpasswd"
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
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
    kill -0 "$registry_pid" 2>/dev/null || break
    sleep 0.1
  done
  curl -s -o /dev/null "http://127.0.0.1:$port/v2/" && break
  wait "$registry_pid" 2>/dev/null || true
  registry_pid=
done
[ -n "$registry_pid" ] || { cat "$work/registry/log" >&2; fail "docker-registry did not start"; }
registry="127.0.0.1:$port"
cat >"$work/registries.conf" <<CONF
[[registry]]
location = "$registry"
insecure = true
CONF
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$registry" "$(printf 'ci-user:%s' "$password" | base64 -w0)" >"$work/auth.json"
export CONTAINERS_REGISTRIES_CONF="$work/registries.conf" REGISTRY_AUTH_FILE="$work/auth.json"

# 3. The release steps: build what action.yml names, push, pin, verify (scripts/release-action.sh).
phase "release-action.sh: buildah bud of $(awk '/^  image: / { print $2 }' "$repo/action.yml") from action.yml, push, pin, skopeo inspect, podman run"
image="$registry/octo-org/octo-repo/action"
env "${release_env[@]}" ABT_TLS_VERIFY=false GITHUB_OUTPUT="$work/release-outputs" bash "$repo/scripts/release-action.sh" "$image" v1.2.3 "$work/action.yml" >"$work/release.log" 2>&1 \
  || { tail -40 "$work/release.log" >&2; fail "scripts/release-action.sh failed"; }
tail -3 "$work/release.log" | sed 's/^/    | /'
pass "the image builds from action.yml's Dockerfile and starts"

pinned=$(awk '/^  image: / { print $2 }' "$work/action.yml")
released_digest=$(awk -F= '$1 == "digest" { print $2 }' "$work/release-outputs")
[ "$pinned" = "docker://$image@$released_digest" ] || fail "the pinned action.yml names '$pinned', the release pushed $image@$released_digest"
[ "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$image:v1.2.3")" = "$released_digest" ] || fail "the v1.2.3 tag is not the pinned digest"
diff <(grep -v '^  image: ' "$repo/action.yml") <(grep -v '^  image: ' "$work/action.yml") || fail "the pinned action.yml differs in more than its image line"
if [ -x "$repo/action/node_modules/.bin/action-validator" ]; then
  "$repo/action/node_modules/.bin/action-validator" "$work/action.yml" || fail "the pinned action.yml does not validate"
fi
action_image=${pinned#docker://}
image_size=$(podman "${store[@]}" image inspect --format '{{.Size}}' "$action_image")
say "image $action_image is $((image_size / 1024 / 1024)) MiB"
pass "the pinned action.yml names the pushed digest, which the v1.2.3 tag also is"

# 4. Runs the pinned action image as the runner does; $1 names the step, the rest are NAME=VALUE inputs.
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
    -e GITHUB_ACTION_REPOSITORY=octo-org/octo-repo -e GITHUB_ACTION_REF=v1.2.3
    -e INPUT_REGISTRY="$registry" -e INPUT_USERNAME=ci-user -e INPUT_PASSWORD="$password"
    -e INPUT_GITHUB-TOKEN=ghs_containertesttoken -e INPUT_ARTIFACT-TYPE=application/vnd.artifactbuildtools.artifact.v1
    -e INPUT_OUTPUT=. -e INPUT_INSECURE=false -e INPUT_PLAIN-HTTP=false -e INPUT_COMMIT-STATUS=false -e INPUT_DEPLOYMENT=false -e INPUT_PR-COMMENT=false
  )
  local input
  for input in "$@"; do env_args+=(-e "INPUT_$input"); done
  podman "${store[@]}" --runtime runc run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network host \
    --workdir /github/workspace \
    -v "$root/workspace:/github/workspace" -v "$root/home:/github/home" \
    -v "$root/workflow:/github/workflow" -v "$root/file_commands:/github/file_commands" \
    "${env_args[@]}" "$action_image" >"$root/log" 2>&1 || { cat "$root/log" >&2; fail "the $step step failed"; }
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
[ "$reference" = "$registry/octo-org/octo-repo@$digest" ] || fail "reference output is '$reference'"
[ "$tags" = "1.2.3,1.2,1,latest,sha-0123456" ] || fail "tags output is '$tags'"
grep -qF "$digest" "$work/push/file_commands/step_summary" || fail "the job summary lacks the digest"
grep -qxF -- "- uses: octo-org/octo-repo@v1.2.3" "$work/push/file_commands/step_summary" || fail "the job summary's uses: line is not the action as run"
listed=$(curl -s -u "ci-user:$password" "http://$registry/v2/octo-org/octo-repo/tags/list")
for tag in 1.2.3 1.2 1 latest sha-0123456; do
  grep -q "\"$tag\"" <<<"$listed" || fail "tag $tag missing in the registry: $listed"
done

phase "pull step by the digest output"
rm -rf "$work/build"
run_step pull "PULL=$reference" OUTPUT=restored
[ "$(output pull digest)" = "$digest" ] || fail "pull digest output differs"
diff -r --no-dereference "$work/push/workspace/publish" "$work/pull/workspace/restored/publish" || fail "pulled files differ from the pushed ones"
[ "$(sha256sum <"$work/push/workspace/publish/lib/app.bin")" = "$(sha256sum <"$work/pull/workspace/restored/publish/lib/app.bin")" ] || fail "app.bin differs"

pass "pushed and pulled $digest through the released container, byte for byte"
say "passed in $((SECONDS - started)) s (image $((image_size / 1024 / 1024)) MiB)"

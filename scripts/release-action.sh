#!/usr/bin/env bash
# Releases the GitHub Action's image: builds the Dockerfile that action.yml names (as actions/runner would, with
# that file's folder as the build context), pushes it, writes action.yml with `image:` pinned to the pushed digest
# (docker://IMAGE@sha256:...), then checks with skopeo that the pinned image and the tag are the digest pushed and
# with podman that the pinned image starts.
#
#   scripts/release-action.sh IMAGE TAG [PINNED_ACTION_YML]
#     IMAGE  e.g. ghcr.io/owner/repo/action (lower case), pushed as IMAGE:TAG
#     TAG    e.g. v1.2.3
#     PINNED_ACTION_YML  where the pinned action.yml goes (default: action.yml, in place)
#
# Used by .github/workflows/release.yml and by action/test-container.sh (against a loopback registry). Build
# arguments SDK_IMAGE and BASE_IMAGE come from the environment when set (else the Dockerfile's defaults);
# ABT_BUD_OPTS adds `buildah bud` options. Registry login, TLS, storage and runtime come from the container tools'
# own settings (REGISTRY_AUTH_FILE, CONTAINERS_REGISTRIES_CONF, CONTAINERS_STORAGE_CONF, CONTAINERS_CONF,
# BUILDAH_ISOLATION), so this script runs the same commands everywhere; ABT_TLS_VERIFY=false (a loopback test
# registry without TLS) adds --tls-verify=false to the push, the checks and the run. With GITHUB_OUTPUT set it writes the
# outputs `digest` and `image` (IMAGE@sha256:...).
set -euo pipefail

die() { printf 'release-action: %s\n' "$*" >&2; exit 1; }
say() { printf 'release-action: %s\n' "$*"; }

[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: $0 IMAGE TAG [PINNED_ACTION_YML]"
image=$1 tag=$2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source_yml="$repo/action.yml"
pinned_yml=${3:-$source_yml}
[[ "$image" =~ ^[a-z0-9._:/-]+$ && "$image" != *@* ]] || die "IMAGE must be a lower-case name without tag or digest: '$image'"
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "TAG is not a valid tag: '$tag'"
tls=()
[ "${ABT_TLS_VERIFY:-true}" = false ] && tls=(--tls-verify=false)
for tool in buildah skopeo podman; do command -v "$tool" >/dev/null || die "'$tool' is missing"; done

# The one `image:` line of runs: a Dockerfile path (the default branch). A pinned docker:// image is already released.
mapfile -t image_lines < <(grep -n '^  image: ' "$source_yml" || true)
[ ${#image_lines[@]} -eq 1 ] || die "expected exactly one '  image:' line in $source_yml, found ${#image_lines[@]}"
dockerfile=${image_lines[0]#*:  image: }
[[ "$dockerfile" != docker://* ]] || die "$source_yml already names a prebuilt image ($dockerfile): release from the source commit"
dockerfile="$repo/$dockerfile"
[ -f "$dockerfile" ] || die "$dockerfile (from $source_yml) does not exist"

bud=(bud -f "$dockerfile" -t "$image:$tag")
[ -n "${SDK_IMAGE:-}" ] && bud+=(--build-arg "SDK_IMAGE=$SDK_IMAGE")
[ -n "${BASE_IMAGE:-}" ] && bud+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
if [ -n "${ABT_BUD_OPTS:-}" ]; then read -ra extra <<<"$ABT_BUD_OPTS"; bud+=("${extra[@]}"); fi
say "building $dockerfile as $image:$tag"
buildah "${bud[@]}" "$(dirname "$dockerfile")"

digest_file=$(mktemp)
trap 'rm -f "$digest_file" "$pinned_yml.partial"' EXIT
say "pushing $image:$tag"
buildah push "${tls[@]}" --digestfile "$digest_file" "$image:$tag" "docker://$image:$tag"
digest=$(cat "$digest_file")
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "buildah push gave no digest ('$digest')"
pinned="$image@$digest"

sed "s|^  image: .*|  image: docker://$pinned|" "$source_yml" >"$pinned_yml.partial"
mv "$pinned_yml.partial" "$pinned_yml"
grep -qxF "  image: docker://$pinned" "$pinned_yml" || die "$pinned_yml was not pinned"

# The registry serves exactly what was pushed, under the digest and the tag.
served=$(skopeo inspect "${tls[@]}" --format '{{.Digest}}' "docker://$pinned")
[ "$served" = "$digest" ] || die "the registry serves $served for $pinned"
tagged=$(skopeo inspect "${tls[@]}" --format '{{.Digest}}' "docker://$image:$tag")
[ "$tagged" = "$digest" ] || die "$image:$tag is $tagged, not the pushed $digest"

# It starts: pulled by digest and run with no inputs, the program answers with its own "nothing to do" error.
set +e
started=$(podman run "${tls[@]}" --rm --pull always "$pinned" 2>&1)
status=$?
set -e
[ "$status" = 1 ] && grep -q 'ABT7001' <<<"$started" || die "$pinned did not start as the action (exit $status): $started"

say "pinned $pinned in $pinned_yml"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  printf 'digest=%s\nimage=%s\n' "$digest" "$pinned" >>"$GITHUB_OUTPUT"
fi

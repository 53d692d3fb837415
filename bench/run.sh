#!/usr/bin/env bash
# ArtifactBuildTools benchmarks (issues 7 and 17): ours vs skopeo vs the physical limit (curl), against ONE real
# docker-registry on loopback, each case --runs times, medians and ratios measured in the same run; the issue 17
# targets are checked at the end (each a ratio against its reference from this run).
#
#   bench/run.sh [--runs N] [--big-mib N] [--large] [--baseline GITREF] [--cases LIST] [--out FILE]
#
#   --runs N          repetitions per case (default 3)
#   --big-mib N       size of the big file of cases 1, 2 and 4 (default 256, the size issue 17's targets name)
#   --large           also push and pull a 4 GiB file once and record peak memory (adds ~2 minutes)
#   --baseline REF    also build the CLI at git REF and run it interleaved with ours in cases 1-4 and 7
#                     ("before" numbers for an optimisation, measured under the same load)
#   --cases LIST      comma-separated cases to run (default 1,2,3,4,5,6,7; 2 and 4 need 1)
#   --out FILE        results file (default bench/results/<date>-<machine>.md)
#
# Case 1 measures the push of new content: the digest cache is off for it (ABT_DIGEST_CACHE=off),
# since every run pushes the same file. Case 4's no-op re-push runs with the cache, as a developer's machine would.
#
# Installs docker-registry, skopeo, curl and time with apt-get when missing; builds the CLI (Release) and the
# harness (bench/harness) once; works under bench/work (git-ignored); stops the registry by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 LC_ALL=C
# The digest cache of every abt run here lives in the bench's work folder, not the user's.
export ARTIFACTBUILDTOOLS_CACHE

RUNS=3
BIG_MIB=256
LARGE=0
BASELINE=""
CASES=1,2,3,4,5,6,7
OUT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --big-mib) BIG_MIB=$2; shift 2 ;;
    --large) LARGE=1; shift ;;
    --baseline) BASELINE=$2; shift 2 ;;
    --cases) CASES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

W=${BENCH_WORK:-$ROOT/bench/work}
mkdir -p "$W" "$ROOT/bench/results"
ARTIFACTBUILDTOOLS_CACHE=$W/abt-cache
rm -rf "$ARTIFACTBUILDTOOLS_CACHE"
MACHINE=$(hostname -s 2>/dev/null || echo machine)
OUT=${OUT:-$ROOT/bench/results/$(date +%F)-$MACHINE.md}
TSV=$W/results.tsv
: > "$TSV"
rm -f "$W"/small-conns-* "$W"/pack-*.bytes
SMALL_N=200
SMALL_CLI_N=20
want() { [[ ",$CASES," == *",$1,"* ]]; }
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# ---------------------------------------------------------------- prerequisites
need=()
command -v docker-registry >/dev/null || [[ -x /usr/bin/docker-registry ]] || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
command -v curl >/dev/null || need+=(curl)
[[ -x /usr/bin/time ]] || need+=(time)
command -v python3 >/dev/null || need+=(python3)
if [[ ${#need[@]} -gt 0 ]]; then
  log "installing ${need[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET SDK is required (dotnet not on PATH)" >&2; exit 1; }

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- src 2>/dev/null | grep -q . && echo " (+ uncommitted changes in src/)" || true)
log "building the CLI (Release, Native AOT for this machine's RID) and the harness at $COMMIT$DIRTY"
# BENCH_ABT=PATH: measure an abt executable built beforehand (e.g. the AOT binary from `dotnet pack -r RID`).
if [[ -z ${BENCH_ABT:-} ]]; then
  dotnet publish src/ArtifactBuildTools.Cli -c Release -o "$W/abt" -nologo -v quiet >/dev/null
fi
dotnet publish bench/harness -c Release -o "$W/harness" -nologo -v quiet >/dev/null
ABT=${BENCH_ABT:-$W/abt/abt}
HARNESS=$W/harness/abt-bench
OURS=(ours)
if [[ -n $BASELINE ]]; then
  log "building the CLI at $BASELINE (baseline)"
  BASEREV=$(git rev-parse "$BASELINE^{commit}")
  if [[ ! -x $W/abt-base/abt || $(cat "$W/abt-base/.rev" 2>/dev/null) != "$BASEREV" ]]; then
    rm -rf "$W/base-src" "$W/abt-base"; mkdir -p "$W/base-src"
    git archive "$BASEREV" | tar x -C "$W/base-src"
    dotnet publish "$W/base-src/src/ArtifactBuildTools.Cli" -c Release -o "$W/abt-base" -nologo -v quiet >/dev/null
    echo "$BASEREV" > "$W/abt-base/.rev"
  fi
  OURS+=(base)
fi
bin() { if [[ $1 == base ]]; then echo "$W/abt-base/abt"; else echo "$ABT"; fi; }

# ---------------------------------------------------------------- registry
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
REG=127.0.0.1:$PORT
rm -rf "$W/registry"; mkdir -p "$W/registry/data"
cat > "$W/registry/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $W/registry/data
  delete:
    enabled: true
http:
  addr: $REG
  secret: bench
EOF
REGLOG=$W/registry/registry.log
/usr/bin/docker-registry serve "$W/registry/config.yml" >"$REGLOG" 2>&1 &
REGPID=$!
cleanup() { kill "$REGPID" 2>/dev/null || true; wait "$REGPID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 50); do curl -fs "http://$REG/v2/" >/dev/null && break; sleep 0.1; done
curl -fs "http://$REG/v2/" >/dev/null || { echo "registry did not start" >&2; cat "$REGLOG" >&2; exit 1; }
log "registry pid $REGPID on $REG"

# ---------------------------------------------------------------- measuring
regcpu() { awk '{print $14+$15}' "/proc/$REGPID/stat"; }   # clock ticks (1/100 s)
loadavg() { cut -d' ' -f1 /proc/loadavg; }
# Our requests only (skopeo and curl have other user agents), counted from the registry's access log.
ourlines() { grep -c '"ArtifactBuildTools/' "$REGLOG" || true; }
# Our requests other than HEAD (a no-op re-push must make HEAD requests only).
ournonhead() { grep '"ArtifactBuildTools/' "$REGLOG" | grep -vc '"HEAD ' || true; }
# Our requests that send blob bytes (upload POST, PATCH, PUT): none for content the registry already has.
ourblobsends() { grep '"ArtifactBuildTools/' "$REGLOG" | grep -Ec '"(POST|PATCH|PUT) [^ ]*/blobs/' || true; }

# measure CASE TOOL RUN cmd... : wall, user, sys, max RSS (KiB) of cmd and its children, registry CPU, load.
measure() {
  local case=$1 tool=$2 run=$3; shift 3
  local before_cpu before_lines before_nonhead before_sends
  before_cpu=$(regcpu); before_lines=$(ourlines); before_nonhead=$(ournonhead); before_sends=$(ourblobsends)
  if ! /usr/bin/time -f '%e %U %S %M' -o "$W/time.out" "$@" >"$W/last.out" 2>"$W/last.err"; then
    log "FAILED: $case $tool run $run: $*"; cat "$W/last.err" >&2; exit 1
  fi
  local e u s m
  read -r e u s m < <(tail -1 "$W/time.out")
  local rc=$(( $(regcpu) - before_cpu ))
  local reqs=$(( $(ourlines) - before_lines ))
  local nonhead=$(( $(ournonhead) - before_nonhead ))
  local sends=$(( $(ourblobsends) - before_sends ))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$tool" "$run" "$e" "$u" "$s" "$m" "$rc" "$reqs" "$(loadavg)" "$nonhead" "$sends" >> "$TSV"
  log "$case/$tool #$run: ${e}s wall, ${u}+${s}s cpu, $((m/1024)) MiB, registry $((rc))cs, our requests $reqs ($nonhead not HEAD, $sends sending blob bytes)"
}

# Median of column COL (4 wall, 5 user, 6 sys, 7 rss, 8 regcpu, 9 requests, 11 user+sys, 12 non-HEAD requests,
# 13 requests sending blob bytes) for CASE/TOOL.
median() {
  awk -F'\t' -v c="$1" -v t="$2" -v col="$3" '$1==c && $2==t { v = (col==11) ? $5+$6 : (col==12) ? $11 : (col==13) ? $12 : $col; print v }' "$TSV" \
    | sort -g | awk '{a[NR]=$1} END { if (NR==0) { print "n/a"; exit } if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="n/a" || b=="n/a" || b==0) print "n/a"; else printf "%.2fx", a/b }'; }
fmt() { awk -v a="$1" 'BEGIN { if (a=="n/a") print a; else printf "%.2f", a }'; }
mib() { awk -v a="$1" 'BEGIN { if (a=="n/a") print a; else printf "%.0f", a/1024 }'; }

# curl helpers: the monolithic upload the registry allows (POST, then one PUT ?digest= streamed with -T).
curl_push() { # REPO FILE DIGEST
  local loc
  loc=$(curl -fsS -o /dev/null -D - -X POST "http://$REG/v2/$1/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
  [[ $loc == http* ]] || loc="http://$REG$loc"
  [[ $loc == *\?* ]] && loc="$loc&digest=$3" || loc="$loc?digest=$3"
  curl -fsS -o /dev/null -T "$2" -H 'Content-Type: application/octet-stream' "$loc"
}
curl_pull_verify() { # REPO DIGEST OUTFILE : GET | tee file | sha256sum, compare
  local sum
  sum=$(curl -fsS "http://$REG/v2/$1/blobs/$2" | tee "$3" | sha256sum | cut -d' ' -f1)
  [[ "sha256:$sum" == "$2" ]] || { echo "digest mismatch $sum" >&2; return 1; }
}
curl_pull_plain() { # REPO DIGEST OUTFILE : the download alone, unverified (the pull's limit)
  curl -fsS -o "$3" "http://$REG/v2/$1/blobs/$2"
}
curl_pull_untar() { # REPO DIGEST DIR : GET | tee fifo | sha256sum, tar xz from the fifo, compare
  mkdir -p "$3"; rm -f "$3.fifo"; mkfifo "$3.fifo"
  tar xzf - -C "$3" < "$3.fifo" & local tarpid=$!
  local sum
  sum=$(curl -fsS "http://$REG/v2/$1/blobs/$2" | tee "$3.fifo" | sha256sum | cut -d' ' -f1)
  wait "$tarpid"; rm -f "$3.fifo"
  [[ "sha256:$sum" == "$2" ]] || { echo "digest mismatch" >&2; return 1; }
}
tar_push() { # DIR REPO : tar czf + sha256sum + curl monolithic
  tar czf "$W/ref.tgz" -C "$(dirname "$1")" "$(basename "$1")"
  local d; d=sha256:$(sha256sum "$W/ref.tgz" | cut -d' ' -f1)
  curl_push "$2" "$W/ref.tgz" "$d"
  echo "$d" > "$W/ref.tgz.digest"
}
export -f curl_push curl_pull_verify curl_pull_plain curl_pull_untar tar_push
export REG W


LOAD_START=$(cat /proc/loadavg)
UPTIME_START=$(uptime)

# ---------------------------------------------------------------- inputs
BIG=$W/big.bin
if [[ ! -f $BIG || $(stat -c %s "$BIG") -ne $((BIG_MIB * 1048576)) ]]; then
  log "writing $BIG_MIB MiB of random bytes"
  head -c "${BIG_MIB}M" /dev/urandom > "$BIG"
fi
BIGDIG=sha256:$(sha256sum "$BIG" | cut -d' ' -f1)
cat "$BIG" > /dev/null   # warm the page cache for everyone alike

log "OCI layout holding the $BIG_MIB MiB artifact (skopeo's source)"
rm -rf "$W/layout"
"$ABT" push "oci:$W/layout:big" "$BIG" >/dev/null

PUB=$W/publish/SampleApp
if want 3 && [[ ! -d $PUB ]]; then
  log "dotnet publish of a sample app (self-contained linux-x64, a few package references)"
  rm -rf "$W/sampleapp" "$W/publish"; mkdir -p "$W/sampleapp"
  cat > "$W/sampleapp/SampleApp.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <SelfContained>true</SelfContained>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
    <PackageReference Include="YamlDotNet" Version="18.1.0" />
    <PackageReference Include="Microsoft.Extensions.Http.Resilience" Version="8.10.0" />
    <PackageReference Include="Microsoft.Extensions.ObjectPool" Version="8.0.11" />
  </ItemGroup>
</Project>
EOF
  cat > "$W/sampleapp/Program.cs" <<'EOF'
System.Console.WriteLine(Newtonsoft.Json.JsonConvert.SerializeObject(new { hello = "world" }));
EOF
  # Outside the repository's Directory.Build.props / central package management.
  echo '<Project />' > "$W/sampleapp/Directory.Build.props"
  echo '<Project />' > "$W/sampleapp/Directory.Packages.props"
  if ! dotnet publish "$W/sampleapp" -c Release -o "$PUB" -nologo -v quiet >"$W/publish.log" 2>&1; then
    log "publish failed (see $W/publish.log): synthesising the same shape from the installed shared runtime"
    rm -rf "$PUB"; mkdir -p "$PUB"
    cp -r "$(dirname "$(dirname "$(command -v dotnet)")")"/share/dotnet/shared/Microsoft.NETCore.App/*/. "$PUB"/ 2>/dev/null \
      || cp -r /usr/share/dotnet/shared/Microsoft.NETCore.App/*/. "$PUB"/
  fi
fi
PUB_FILES=$(find "$PUB" -type f 2>/dev/null | wc -l || true)
PUB_BYTES=$(du -sb "$PUB" 2>/dev/null | cut -f1 || echo 0); PUB_BYTES=${PUB_BYTES:-0}
log "publish output: $PUB_FILES files, $((PUB_BYTES/1048576)) MiB"

# ---------------------------------------------------------------- case 1: push $BIG_MIB MiB
if want 1; then
for i in $(seq "$RUNS"); do
  for t in "${OURS[@]}"; do
    measure push1g "$t" "$i" env ABT_DIGEST_CACHE=off "$(bin "$t")" push --plain-http "$REG/push/$t-$i:t" "$BIG"
    if [[ $i -eq 1 && $t == ours ]]; then BIGMAN=$(awk '/^Digest:/ {print $2}' "$W/last.out"); fi
  done
  # skopeo remembers where it saw a blob and would mount it from the previous run's repository: forget that.
  rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb "$HOME/.local/share/containers/cache/blob-info-cache-v1.boltdb"
  measure push1g skopeo "$i" skopeo copy -q --preserve-digests --dest-tls-verify=false "oci:$W/layout:big" "docker://$REG/push/skopeo-$i:t"
  measure push1g curl "$i" bash -c 'curl_push "$0" "$1" "$2"' "push/curl-$i" "$BIG" "$BIGDIG"
  measure hash1g harness "$i" "$HARNESS" hash "$BIG"
done
fi

# ---------------------------------------------------------------- case 2: verified pull by digest
if want 2; then
mkdir -p "$W/pull"
for i in $(seq "$RUNS"); do
  rm -rf "$W/pull"/*
  for t in "${OURS[@]}"; do
    measure pull1g "$t" "$i" "$(bin "$t")" pull --plain-http "$REG/push/ours-1@$BIGMAN" -o "$W/pull/$t"
  done
  measure pull1g skopeo "$i" skopeo copy -q --src-tls-verify=false "docker://$REG/push/ours-1@$BIGMAN" "oci:$W/pull/skopeo:t"
  measure pull1g curl "$i" bash -c 'curl_pull_verify "$0" "$1" "$2"' push/ours-1 "$BIGDIG" "$W/pull/curl.bin"
  rm -f "$W/pull/curl.bin"
  measure pull1g curl-o "$i" bash -c 'curl_pull_plain "$0" "$1" "$2"' push/ours-1 "$BIGDIG" "$W/pull/curl.bin"
done
fi

# ---------------------------------------------------------------- case 4: no-op re-push and pinned re-pull (1 GiB)
if want 4; then
# One push with the cache on, so the measured re-pushes find the digest remembered (the machine that pushed).
for t in "${OURS[@]}"; do "$(bin "$t")" push --plain-http "$REG/push/$t-1:t" "$BIG" >/dev/null; done
for i in $(seq "$RUNS"); do
  for t in "${OURS[@]}"; do
    measure repush1g "$t" "$i" "$(bin "$t")" push --plain-http "$REG/push/$t-1:t" "$BIG"
    measure repull1g "$t" "$i" "$(bin "$t")" pull --plain-http "$REG/push/ours-1@$BIGMAN" -o "$W/pull/$t"
  done
done
rm -rf "$W/pull"
fi

# ---------------------------------------------------------------- case 3: dotnet publish output as a directory
if want 3; then
mkdir -p "$W/dpull"
for i in $(seq "$RUNS"); do
  for t in "${OURS[@]}"; do
    measure dirpush "$t" "$i" "$(bin "$t")" push --plain-http "$REG/dir/$t-$i:t" "$PUB"
    if [[ $i -eq 1 ]]; then printf -v "DIRMAN_$t" '%s' "$(awk '/^Digest:/ {print $2}' "$W/last.out")"; fi
  done
  measure dirpush tar+curl "$i" bash -c 'tar_push "$0" "$1"' "$PUB" "dir/ref-$i"
done
REFDIG=$(cat "$W/ref.tgz.digest")
for i in $(seq "$RUNS"); do
  rm -rf "$W/dpull"/*
  for t in "${OURS[@]}"; do
    man=DIRMAN_$t
    measure dirpull "$t" "$i" "$(bin "$t")" pull --plain-http "$REG/dir/$t-1@${!man}" -o "$W/dpull/$t"
  done
  measure dirpull curl+tar "$i" bash -c 'curl_pull_untar "$0" "$1" "$2"' dir/ref-1 "$REFDIG" "$W/dpull/ref"
  for t in "${OURS[@]}"; do
    measure dirrepush "$t" "$i" "$(bin "$t")" push --plain-http "$REG/dir/$t-1:t" "$PUB"
  done
  # A clean rebuild: same bytes, every mtime new (in the past, so the digest cache may remember them). The digest
  # must not move, or CI re-pushes every run.
  find "$PUB" -exec touch -d "@$(( $(date +%s) - 100 + i ))" {} +
  for t in "${OURS[@]}"; do
    measure dirrepushclean "$t" "$i" "$(bin "$t")" push --plain-http "$REG/dir/$t-1:t" "$PUB"
    man=DIRMAN_$t
    got=$(awk '/^Digest:/ {print $2}' "$W/last.out")
    if [[ "$got" != "${!man}" ]]; then
      [[ $t == ours ]] && { log "FAILED: re-push after touching $PUB moved the digest: ${!man} -> $got"; exit 1; }
      log "$t: re-push after touching $PUB moved the digest (${!man} -> $got)"
    fi
  done
  # The touch moved every ctime to now, too recent to remember (the racy window): one unmeasured push after it lets
  # the next run's dirrepush find the tree remembered, as the developer's machine that pushed would.
  sleep 3
  for t in "${OURS[@]}"; do "$(bin "$t")" push --plain-http "$REG/dir/$t-1:t" "$PUB" >/dev/null; done
done
rm -rf "$W/dpull"
# gzip level comparison for the packer (in-process, pack only)
for i in $(seq "$RUNS"); do
  for level in Optimal Fastest; do
    measure "pack-$level" harness "$i" "$HARNESS" pack "$PUB" "$level" "$W/packtmp"
    tail -1 "$W/last.out" | tr ' ' '\n' | grep gz_bytes | cut -d= -f2 > "$W/pack-$level.bytes"
  done
done
fi

# ---------------------------------------------------------------- case 6: many small artifacts
if want 6; then
for i in $(seq "$RUNS"); do
  lines_before=$(wc -l < "$REGLOG")
  measure small harness "$i" "$HARNESS" small "$REG" "small/h-$i" "$SMALL_N" 10240 "$W/small-$i"
  # TCP connections the harness opened: distinct client ports among its requests.
  tail -n +"$((lines_before+1))" "$REGLOG" | grep 'useragent="*ArtifactBuildTools' | grep -o 'remoteaddr="[^"]*"' | sort -u | wc -l > "$W/small-conns-$i"
  rm -rf "$W/small-$i"
done
mkdir -p "$W/smallcli"; head -c 10240 /dev/urandom > "$W/smallcli/seed"
for i in $(seq "$RUNS"); do
  for k in $(seq "$SMALL_CLI_N"); do { cat "$W/smallcli/seed"; echo "$i-$k"; } > "$W/smallcli/p$k.bin"; done
  measure smallcli ours "$i" bash -c 'for k in $(seq "$1"); do "$2" push --plain-http "$3/small/cli-$4:t$k" "$5/p$k.bin" >/dev/null || exit 1; done' _ \
    "$SMALL_CLI_N" "$ABT" "$REG" "$i" "$W/smallcli"
done
fi

# ---------------------------------------------------------------- case 7: 1 KiB push, process start included, vs skopeo
if want 7; then
mkdir -p "$W/tiny"
for i in $(seq "$RUNS"); do
  head -c 1024 /dev/urandom > "$W/tiny/tiny.bin"
  rm -rf "$W/tiny/layout"
  "$ABT" push "oci:$W/tiny/layout:t" "$W/tiny/tiny.bin" >/dev/null   # the same artifact, as skopeo's source
  for t in "${OURS[@]}"; do
    measure tiny "$t" "$i" "$(bin "$t")" push --plain-http "$REG/tiny/$t-$i:t" "$W/tiny/tiny.bin"
  done
  rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb "$HOME/.local/share/containers/cache/blob-info-cache-v1.boltdb"
  measure tiny skopeo "$i" skopeo copy -q --preserve-digests --dest-tls-verify=false "oci:$W/tiny/layout:t" "docker://$REG/tiny/skopeo-$i:t"
  for t in "${OURS[@]}"; do measure version "$t" "$i" "$(bin "$t")" --version; done
done
rm -rf "$W/tiny"
fi

# ---------------------------------------------------------------- case 5: MSBuild integration (when the package exists)
MSB=0
if want 5; then
if [[ -d src/ArtifactBuildTools.Tasks ]]; then
  MSB=1
  log "packing the MSBuild package into a local feed; sample projects with and without it"
  M=$W/msb; rm -rf "$M"; mkdir -p "$M/feed"
  dotnet pack src/ArtifactBuildTools.Tasks -c Release -o "$M/feed" -p:PackageVersion=0.0.0-bench -nologo -v quiet >/dev/null
  for p in plain pkg consumer; do
    mkdir -p "$M/$p"
    echo '<Project />' > "$M/$p/Directory.Build.props"; echo '<Project />' > "$M/$p/Directory.Build.targets"
    echo '<Project />' > "$M/$p/Directory.Packages.props"
    cat > "$M/$p/nuget.config" <<EOF
<configuration>
  <config><add key="globalPackagesFolder" value="$M/packages" /></config>
  <packageSources><clear /><add key="bench" value="$M/feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
</configuration>
EOF
  done
  for p in plain pkg; do
    ref=""; [[ $p == pkg ]] && ref='<ItemGroup><PackageReference Include="ArtifactBuildTools" Version="0.0.0-bench" /></ItemGroup>'
    cat > "$M/$p/App.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Version>1.0.0</Version><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  $ref
</Project>
EOF
    echo 'Console.WriteLine("hello");' > "$M/$p/Program.cs"
    dotnet publish "$M/$p" -c Release -o "$M/$p/out" -nologo -v quiet >/dev/null
  done
  MSBARGS=(--no-restore -c Release -nologo -v quiet -nodeReuse:false)
  PUSHARGS=(-p:PushToRegistry=true "-p:ArtifactRegistry=$REG" -p:ArtifactRepository=msbuild/app -p:ArtifactRegistryPlainHttp=true "-p:ArtifactPushResultFile=$M/push.json")
  dotnet publish "$M/pkg" -o "$M/pkg/out" "${MSBARGS[@]}" "${PUSHARGS[@]}" >/dev/null   # first push
  APPDIG=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$M/push.json")
  cat > "$M/consumer/App.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Library</OutputType><TargetFramework>net10.0</TargetFramework><ArtifactCacheFolder>$M/cache</ArtifactCacheFolder></PropertyGroup>
  <ItemGroup><PackageReference Include="ArtifactBuildTools" Version="0.0.0-bench" /></ItemGroup>
  <ItemGroup><ArtifactReference Include="$REG/msbuild/app" Version="1.0.0" Digest="$APPDIG" /></ItemGroup>
</Project>
EOF
  dotnet restore "$M/consumer" -nologo -v quiet >/dev/null
  dotnet msbuild "$M/consumer" -t:RestoreArtifacts -nologo -v quiet -nodeReuse:false >/dev/null   # fills the cache
  for i in $(seq "$RUNS"); do
    measure msb-eval plain "$i" dotnet msbuild "$M/plain" -getProperty:TargetPath -nologo -nodeReuse:false
    measure msb-eval pkg "$i" dotnet msbuild "$M/pkg" -getProperty:TargetPath -nologo -nodeReuse:false
    measure msb-publish plain "$i" dotnet publish "$M/plain" -o "$M/plain/out" "${MSBARGS[@]}"
    measure msb-publish pkg "$i" dotnet publish "$M/pkg" -o "$M/pkg/out" "${MSBARGS[@]}"
    measure msb-publish pkg+push "$i" dotnet publish "$M/pkg" -o "$M/pkg/out" "${MSBARGS[@]}" "${PUSHARGS[@]}"
    measure msb-restore cached "$i" dotnet msbuild "$M/consumer" -t:RestoreArtifacts -nologo -v quiet -nodeReuse:false
  done
fi
fi

# ---------------------------------------------------------------- large: 4 GiB peak memory
if [[ $LARGE -eq 1 ]]; then
  HUGE=$W/huge.bin
  [[ -f $HUGE && $(stat -c %s "$HUGE") -eq 4294967296 ]] || { log "writing 4 GiB of random bytes"; head -c 4G /dev/urandom > "$HUGE"; }
  measure push4g ours 1 "$ABT" push --plain-http "$REG/large/ours:t" "$HUGE"
  HUGEMAN=$(awk '/^Digest:/ {print $2}' "$W/last.out")
  rm -f "$HUGE"
  measure pull4g ours 1 "$ABT" pull --plain-http "$REG/large/ours@$HUGEMAN" -o "$W/hugepull"
  rm -rf "$W/hugepull"
fi

LOAD_END=$(cat /proc/loadavg)
UPTIME_END=$(uptime)

# ---------------------------------------------------------------- report
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
CORES=$(nproc)
RAM=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
KERNEL=$(uname -r)
DOTNET_SDK=$(dotnet --version)
DOTNET_RT=$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}')
REGVER=$(/usr/bin/docker-registry --version | awk '{print $NF}')
SKOPEOVER=$(skopeo --version | awk '{print $NF}')
CURLVER=$(curl --version | head -1 | awk '{print $2}')

row() { # LABEL CASE TOOL REFCASE REFTOOL [GiB]
  local w u r rc q ref
  w=$(median "$2" "$3" 4); u=$(median "$2" "$3" 11); r=$(median "$2" "$3" 7); rc=$(median "$2" "$3" 8); q=$(median "$2" "$3" 9)
  ref=$( [[ -n $4 ]] && median "$4" "$5" 4 || echo n/a)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(fmt "$w")" "$( [[ -n $4 ]] && ratio "$w" "$ref" || echo '—')" \
    "$(fmt "$u")" "$(mib "$r")" "$(awk -v a="$rc" 'BEGIN{ if (a=="n/a") print a; else printf "%.2f", a/100 }')" "$q" "${6:-}"
}

{
  echo "# Benchmark results — $(date +%F) — $MACHINE"
  echo
  echo "Command: \`bench/run.sh --runs $RUNS$( [[ $LARGE -eq 1 ]] && echo ' --large')$( [[ -n $BASELINE ]] && echo " --baseline $BASELINE")$( [[ $BIG_MIB != 256 ]] && echo " --big-mib $BIG_MIB")$( [[ $CASES != 1,2,3,4,5,6,7 ]] && echo " --cases $CASES")\` at commit \`$COMMIT\`$DIRTY$( [[ -n ${BENCH_ABT:-} ]] && echo "; abt measured: \`$BENCH_ABT\` ($("$ABT" --version))")."
  echo
  echo "| machine | |"
  echo "| --- | --- |"
  echo "| CPU | $CPU_MODEL |"
  echo "| cores | $CORES |"
  echo "| RAM | $RAM |"
  echo "| kernel | $KERNEL |"
  echo "| .NET | SDK $DOTNET_SDK, runtime $DOTNET_RT |"
  echo "| registry | docker-registry (CNCF Distribution) $REGVER, filesystem storage, plain HTTP on 127.0.0.1 |"
  echo "| peers | skopeo $SKOPEOVER, curl $CURLVER, GNU tar + gzip -6 |"
  echo "| load average | start \`$LOAD_START\`, end \`$LOAD_END\` (other engineers compiling on the same 2 cores) |"
  echo "| uptime | start \`$UPTIME_START\`; end \`$UPTIME_END\` |"
  echo
  echo "Medians of $RUNS runs. *wall* and *ratio* (to the reference named in the row, measured in the same run);"
  echo "*CPU* = user+sys seconds of that client process tree; *RSS* = its peak resident set; *registry CPU* ="
  echo "seconds the registry process burned during the run; *requests* = our requests in the registry's access log."
  echo
  echo "| case | wall s | ratio | client CPU s | peak RSS MiB | registry CPU s | requests | note |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  row "1. push $BIG_MIB MiB — **abt**" push1g ours push1g curl "vs curl"
  row "1. push $BIG_MIB MiB — **abt** vs skopeo" push1g ours push1g skopeo "vs skopeo"
  row "1. push $BIG_MIB MiB — skopeo copy --preserve-digests (oci: → docker://)" push1g skopeo push1g curl "vs curl"
  row "1. push $BIG_MIB MiB — curl POST + PUT -T ?digest= (limit)" push1g curl "" ""
  row "1. the push's hash pass alone (FileHasher in bench/harness, process included)" hash1g harness push1g curl "vs curl push"
  row "2. pull $BIG_MIB MiB by digest, verified — **abt**" pull1g ours pull1g curl "vs curl+sha256sum"
  row "2. pull $BIG_MIB MiB — **abt** vs skopeo" pull1g ours pull1g skopeo "vs skopeo"
  row "2. pull $BIG_MIB MiB — skopeo copy docker:// → oci:" pull1g skopeo pull1g curl "vs curl+sha256sum"
  row "2. pull $BIG_MIB MiB — curl GET \\| tee file \\| sha256sum (verified limit)" pull1g curl "" ""
  row "2. pull $BIG_MIB MiB — curl -o file, unverified (the download alone)" pull1g curl-o "" ""
  row "2. pull $BIG_MIB MiB by digest, verified — **abt** vs the download alone" pull1g ours pull1g curl-o "vs curl -o"
  row "3. publish dir ($PUB_FILES files, $((PUB_BYTES/1048576)) MiB): pack+push — **abt**" dirpush ours dirpush tar+curl "vs tar czf+sha256sum+curl"
  row "3. publish dir: tar czf + sha256sum + curl -T" dirpush tar+curl "" ""
  row "3. publish dir: pull+unpack — **abt**" dirpull ours dirpull curl+tar "vs curl\\|tee(sha256sum)\\|tar xz"
  row "3. publish dir: curl \\| tee >(sha256sum) \\| tar xzf" dirpull curl+tar "" ""
  row "3. packer only, gzip Optimal ($(( $(cat "$W/pack-Optimal.bytes" 2>/dev/null || echo 0) / 1024 )) KiB out)" pack-Optimal harness "" ""
  row "3. packer only, gzip Fastest ($(( $(cat "$W/pack-Fastest.bytes" 2>/dev/null || echo 0) / 1024 )) KiB out)" pack-Fastest harness pack-Optimal harness "vs Optimal"
  row "4. no-op re-push $BIG_MIB MiB — **abt**" repush1g ours push1g ours "vs first push"
  row "4. no-op re-push publish dir — **abt**" dirrepush ours dirpush ours "vs first push"
  row "4. no-op re-push publish dir after a clean rebuild (every mtime new) — **abt**" dirrepushclean ours dirpush ours "vs first push"
  row "4. pinned re-pull $BIG_MIB MiB, already present — **abt**" repull1g ours pull1g ours "vs first pull"
  row "6. $SMALL_N pushes × 10 KiB, one process (bench/harness, ArtifactPusher + one RegistryClient)" small harness "" "" "$(cat "$W"/small-conns-* 2>/dev/null | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') TCP connections"
  row "6. $SMALL_CLI_N pushes × 10 KiB, one \`abt push\` process each" smallcli ours "" ""
  row "7. 1 KiB push, process start included — **abt**" tiny ours tiny skopeo "vs skopeo"
  row "7. 1 KiB push — skopeo copy --preserve-digests (oci: → docker://)" tiny skopeo "" ""
  row "7. \`abt --version\` (process start alone)" version ours "" ""
  if [[ $MSB -eq 1 ]]; then
    row "5. evaluation, project without the package (\`dotnet msbuild -getProperty\`)" msb-eval plain "" ""
    row "5. evaluation, project importing the package's targets" msb-eval pkg msb-eval plain "vs without"
    row "5. up-to-date \`dotnet publish\`, without the package" msb-publish plain "" ""
    row "5. up-to-date \`dotnet publish\`, package referenced, not pushing" msb-publish pkg msb-publish plain "vs without"
    row "5. up-to-date \`dotnet publish -p:PushToRegistry=true\` (unchanged output)" msb-publish pkg+push msb-publish plain "vs without"
    row "4. pinned restore already in the cache (\`-t:RestoreArtifacts\`, Digest= set)" msb-restore cached "" ""
  fi
  if [[ $LARGE -eq 1 ]]; then
    row "large: push 4 GiB — **abt**" push4g ours "" ""
    row "large: pull 4 GiB by digest — **abt**" pull4g ours "" ""
  fi
  echo
  s=$(median small harness 4); c=$(median smallcli ours 4)
  want 6 && echo "Per small push: $(awk -v s="$s" -v n="$SMALL_N" 'BEGIN{printf "%.1f", 1000*s/n}') ms in one process; $(awk -v s="$c" -v n="$SMALL_CLI_N" 'BEGIN{printf "%.0f", 1000*s/n}') ms as a CLI process each."
  echo "Our CPU per $BIG_MIB MiB pushed: $(fmt "$(median push1g ours 11)") s; pulled: $(fmt "$(median pull1g ours 11)") s."
  echo
  echo "**Issue 17 targets** (each a ratio of medians against its reference from this run; the machine was shared, see the load above):"
  echo
  echo "| target | measured | limit | holds |"
  echo "| --- | ---: | ---: | --- |"
  target() { # LABEL VALUE LIMIT (a ratio "1.23x" or seconds/MiB as a number)
    local v=${2%x} l=${3%x}
    printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$(awk -v v="$v" -v l="$l" 'BEGIN { if (v=="n/a") print "not measured"; else print (v+0 <= l+0) ? "yes" : "**no**" }')"
  }
  want 1 && target "push of new content vs \`curl -T\` with the digest known ($BIG_MIB MiB)" "$(ratio "$(median push1g ours 4)" "$(median push1g curl 4)")" 1.10x
  want 4 && target "no-op re-push ($BIG_MIB MiB, digest cache warm): requests other than HEAD" "$(median repush1g ours 12)" 0
  want 4 && target "no-op re-push ($BIG_MIB MiB, digest cache warm): requests sending blob bytes" "$(median repush1g ours 13)" 0
  want 4 && target "no-op re-push vs the push's hash pass alone (no hash pass: far below 1)" "$(ratio "$(median repush1g ours 4)" "$(median hash1g harness 4)")" 1.00x
  want 2 && target "verified pull vs \`curl -o\` ($BIG_MIB MiB)" "$(ratio "$(median pull1g ours 4)" "$(median pull1g curl-o 4)")" 1.30x
  want 7 && target "1 KiB push, process start included, vs \`skopeo copy\`" "$(ratio "$(median tiny ours 4)" "$(median tiny skopeo 4)")" 1.50x
  [[ $LARGE -eq 1 ]] && target "peak RSS, push 4 GiB (MiB)" "$(mib "$(median push4g ours 7)")" 150
  [[ $LARGE -eq 1 ]] && target "peak RSS, pull 4 GiB (MiB)" "$(mib "$(median pull4g ours 7)")" 150
  [[ $MSB -eq 1 ]] && target "\`-p:PushToRegistry=true\` on an up-to-date publish: seconds added" \
    "$(awk -v a="$(median msb-publish pkg+push 4)" -v b="$(median msb-publish pkg 4)" 'BEGIN { if (a=="n/a"||b=="n/a") print "n/a"; else printf "%.2f", a-b }')" 0.25
  echo
  if [[ -n $BASELINE ]]; then
    echo
    echo "**Before/after** (the CLI built at \`$BASELINE\`, run interleaved with ours in the same loop; ratio = after / before):"
    echo
    echo "| case | before wall s | after wall s | after/before | before CPU s | after CPU s | before requests | after requests | before RSS MiB | after RSS MiB |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for c in push1g pull1g repush1g repull1g dirpush dirpull dirrepush dirrepushclean tiny; do
      bw=$(median "$c" base 4); aw=$(median "$c" ours 4)
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$c" "$(fmt "$bw")" "$(fmt "$aw")" "$(ratio "$aw" "$bw")" \
        "$(fmt "$(median "$c" base 11)")" "$(fmt "$(median "$c" ours 11)")" "$(median "$c" base 9)" "$(median "$c" ours 9)" \
        "$(mib "$(median "$c" base 7)")" "$(mib "$(median "$c" ours 7)")"
    done
    echo
  fi
  if want 5 && [[ $MSB -eq 0 ]]; then echo "5. \`dotnet publish -p:PushToRegistry=true\` overhead: pending — no src/ArtifactBuildTools.Tasks (the MSBuild package) in this tree."; fi
  echo
  echo "<details><summary>raw measurements (case, tool, run, wall s, user s, sys s, max RSS KiB, registry CPU cs, our requests, load, our non-HEAD requests, our requests sending blob bytes)</summary>"
  echo
  echo '```'
  cat "$TSV"
  echo '```'
  echo "</details>"
} > "$OUT"
log "results written to $OUT"
cat "$OUT"

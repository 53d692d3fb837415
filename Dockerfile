# The GitHub Action's image, built from source. actions/runner builds an `image: Dockerfile` action with the
# Dockerfile's folder as the build context and no build arguments (ActionManager.BuildActionContainerAsync,
# ContainerActionHandler: `docker build -f Dockerfile <its folder>`), so this file sits at the repository root and
# the defaults are images that exist: .NET 10's Linux images are Ubuntu 24.04 (noble), Alpine and Azure Linux;
# there are no Debian tags. A release builds the same file once and pins the pushed digest in action.yml
# (scripts/release-action.sh); the container test passes locally made images as SDK_IMAGE and BASE_IMAGE.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble
# The program is a Native AOT executable, so the base needs no .NET at all: glibc, OpenSSL 3 and CA certificates.
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble

FROM ${SDK_IMAGE} AS build
# The target architecture (amd64 or arm64), which BuildKit sets (`docker build` as the runner runs it, or
# `docker buildx build --platform linux/arm64`); where it is not set (buildah 1.28 warns so) the build machine's
# architecture is the target. Native AOT compiles for the machine it runs on, so this stage runs on the target
# platform (emulated in a cross-platform build).
ARG TARGETARCH
# The AOT compiler (ILC) links the executable with clang, against zlib.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang zlib1g-dev >/dev/null \
 && rm -rf /var/lib/apt/lists/*
ENV DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /src
# .dockerignore keeps the context to these: the build props, the engine and the action.
COPY . .
RUN arch="${TARGETARCH:-$(dpkg --print-architecture)}" \
 && case "$arch" in \
      amd64) rid=linux-x64 ;; \
      arm64) rid=linux-arm64 ;; \
      *) echo "no Native AOT runtime identifier for architecture '$arch'" >&2; exit 1 ;; \
    esac \
 && dotnet publish action/ArtifactBuildTools.Action/ArtifactBuildTools.Action.csproj -c Release -r "$rid" \
      -p:DebugType=none -o /out --nologo

FROM ${BASE_IMAGE}
# No USER: the runner mounts /github/workspace owned by the runner's user and runs the container as root;
# another user could not write pulled files there.
COPY --from=build /out/abt-action /usr/local/bin/abt-action
ENTRYPOINT ["/usr/local/bin/abt-action"]

# The GitHub Action's image, built from source. actions/runner builds an `image: Dockerfile` action with the
# Dockerfile's folder as the build context and no build arguments (ActionManager.BuildActionContainerAsync,
# ContainerActionHandler: `docker build -f Dockerfile <its folder>`), so this file sits at the repository root and
# the defaults are images that exist: .NET 10's Linux images are Ubuntu 24.04 (noble), Alpine and Azure Linux;
# there are no Debian tags. A release builds the same file once and pins the pushed digest in action.yml
# (scripts/release-action.sh); the container test passes locally made images as SDK_IMAGE and BASE_IMAGE.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble
# The program is self-contained, so the base needs no .NET runtime: glibc, libstdc++, OpenSSL 3 and CA certificates.
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble

FROM ${SDK_IMAGE} AS build
ENV DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /src
# .dockerignore keeps the context to these: the build props, the engine and the action.
COPY . .
RUN dotnet publish action/ArtifactBuildTools.Action/ArtifactBuildTools.Action.csproj -c Release -r linux-x64 \
      -p:DebugType=none -o /out --nologo

FROM ${BASE_IMAGE}
# No USER: the runner mounts /github/workspace owned by the runner's user and runs the container as root;
# another user could not write pulled files there.
COPY --from=build /out/abt-action /usr/local/bin/abt-action
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
ENTRYPOINT ["/usr/local/bin/abt-action"]

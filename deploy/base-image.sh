#!/usr/bin/env bash
# Builds the local base image (Debian bookworm with a Java 17 runtime and redis-server) that the
# worker image and the container tests use on machines that cannot pull from a registry.
# Idempotent: does nothing when the image already exists. Usage: deploy/base-image.sh [IMAGE]
set -euo pipefail

image="${1:-${PP_BASE_IMAGE:-parametric/base:bookworm}}"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image already present"
  exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || {
  echo "mmdebstrap is missing: apt-get install -y mmdebstrap" >&2
  exit 1
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "building base image $image with mmdebstrap (about 30 s)"
# ca-certificates: rediss:// URLs; procps: pgrep for the liveness check in the worker image.
# Docs and man pages are dropped after installation (excluding them through dpkg breaks the
# JRE's update-alternatives, which links its man pages).
mmdebstrap --quiet --variant=apt \
  --include=openjdk-17-jre-headless,redis-server,ca-certificates,procps \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/usr/share/doc/* "$1"/usr/share/man/*/*' \
  bookworm "$work/base.tar"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  "$work/base.tar" "$image"
docker image inspect --format '{{.Id}} {{.Size}}' "$image"

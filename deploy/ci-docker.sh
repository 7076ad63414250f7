#!/usr/bin/env bash
# Makes Docker usable for the container ITs on a CI or developer machine (Debian, as root):
# installs docker.io and mmdebstrap when absent, starts dockerd in the background when it is not
# running, waits for it, then builds the local base image (deploy/base-image.sh) if it is missing.
# Exits non-zero, saying why, when Docker cannot be made to work; the caller decides what follows
# (the container ITs fail with the reason rather than skip).
set -euo pipefail
cd "$(dirname "$0")/.."

log="${PP_DOCKERD_LOG:-/tmp/pp-dockerd.log}"

if ! command -v dockerd >/dev/null 2>&1 || ! command -v mmdebstrap >/dev/null 2>&1 \
   || ! command -v docker >/dev/null 2>&1; then
  echo "installing docker.io and mmdebstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io mmdebstrap >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd (log: $log)"
  nohup dockerd >"$log" 2>&1 </dev/null &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
fi
if ! docker info >/dev/null 2>&1; then
  echo "dockerd did not answer within 60 s; its last log lines:" >&2
  tail -n 20 "$log" >&2 || true
  exit 1
fi
docker version --format 'docker client {{.Client.Version}}, server {{.Server.Version}}'

deploy/base-image.sh "${PP_BASE_IMAGE:-parametric/base:bookworm}"

# The compose file must parse for the Compose implementation at hand (when one is installed;
# DeployManifestsTest checks its content either way).
if docker compose version >/dev/null 2>&1; then
  docker compose -f deploy/docker-compose.yml config -q && echo "deploy/docker-compose.yml: valid"
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f deploy/docker-compose.yml config -q && echo "deploy/docker-compose.yml: valid"
fi

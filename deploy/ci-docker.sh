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

# A live (not zombie) process of that name? This machine's init may leave killed daemons as
# zombies for a while, and those must not count as running.
running() {
  ps -eo stat=,comm= | awk -v name="$1" '$2 == name && $1 !~ /^Z/ { found = 1 } END { exit !found }'
}

# A dockerd that was killed (as at the end of a session) leaves pid files behind; when the process
# a pid file names is gone or a zombie, the next dockerd waits for it until it times out.
clear_stale_pidfile() {
  local file="$1" pid state
  [ -f "$file" ] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  state="$(ps -o stat= -p "${pid:-0}" 2>/dev/null || true)"
  case "$state" in
    '' | Z*) echo "removing stale $file (pid ${pid:-?} is gone)"; rm -f "$file" ;;
  esac
}

start_dockerd() {
  clear_stale_pidfile /var/run/docker.pid
  clear_stale_pidfile /var/run/docker/containerd/containerd.pid
  echo "starting dockerd (log: $log)"
  nohup dockerd >"$log" 2>&1 </dev/null &
  dockerd_pid=$!
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && return 0
    # dockerd exits on its own when it cannot start; no point waiting the full minute then.
    kill -0 "$dockerd_pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

if ! docker info >/dev/null 2>&1; then
  if running dockerd; then
    echo "dockerd is running but not answering yet; waiting"
    for _ in $(seq 60); do
      docker info >/dev/null 2>&1 && break
      sleep 1
    done
  elif ! start_dockerd; then
    echo "dockerd did not start; its last log lines:" >&2
    tail -n 15 "$log" >&2 || true
    kill "$dockerd_pid" 2>/dev/null || true
    sleep 2
    echo "retrying once"
    start_dockerd || true
  fi
fi
if ! docker info >/dev/null 2>&1; then
  echo "dockerd did not answer within 60 s; its last log lines:" >&2
  tail -n 20 "$log" >&2 || true
  exit 1
fi
docker version --format 'docker client {{.Client.Version}}, server {{.Server.Version}}'

deploy/base-image.sh "${PP_BASE_IMAGE:-parametric/base:bookworm}"

# The compose file must parse for the Compose implementation at hand (when one is installed;
# DeployManifestsTest checks its content either way). It requires a fleet secret; a placeholder
# serves for parsing (nothing is started).
export PP_SECRET="${PP_SECRET:-placeholder-for-config-check}"
if docker compose version >/dev/null 2>&1; then
  docker compose -f deploy/docker-compose.yml config -q && echo "deploy/docker-compose.yml: valid"
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f deploy/docker-compose.yml config -q && echo "deploy/docker-compose.yml: valid"
fi

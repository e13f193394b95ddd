#!/usr/bin/env bash
# Builds the container images of the three services and the simulator (JVM mode, non-root uid 1001,
# HEALTHCHECK on /q/health/ready) from their Quarkus fast-jars, plus leaseflow/prometheus:2 from
# Debian's prometheus package for machines that reach no image registry.
#
#   leaseflow/lease-watcher:$TAG  leaseflow/stack-launcher:$TAG  leaseflow/hosts-exchange:$TAG
#   leaseflow/openstack-sim:$TAG  leaseflow/prometheus:2
#
# Usage: docker/build-service-images.sh [--package] [--force-prometheus] [module ...]
#   --package            run ./mvnw -o -q package -DskipTests -pl <module> first (else target/quarkus-app must exist)
#   --force-prometheus   rebuild leaseflow/prometheus:2 even if it exists
# Environment:
#   BASE_IMAGE   JRE base (default leaseflow/jre:17; eclipse-temurin:17-jre where a registry is reachable)
#   TAG          image tag (default latest)
#   MVN_OFFLINE  -o (default) or empty to let Maven download
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
BASE_IMAGE="${BASE_IMAGE:-leaseflow/jre:17}"
TAG="${TAG:-latest}"
MVN_OFFLINE="${MVN_OFFLINE--o}"
declare -A PORT=([lease-watcher]=8081 [stack-launcher]=8082 [hosts-exchange]=8083 [openstack-sim]=8085)

PACKAGE=0; FORCE_PROM=0; MODULES=()
for arg in "$@"; do
  case "$arg" in
    --package) PACKAGE=1 ;;
    --force-prometheus) FORCE_PROM=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    lease-watcher|stack-launcher|hosts-exchange|openstack-sim) MODULES+=("$arg") ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
[[ ${#MODULES[@]} -eq 0 ]] && MODULES=(lease-watcher stack-launcher hosts-exchange openstack-sim)

log() { printf '[build-service-images] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
docker info >/dev/null 2>&1 || die "docker engine not running (start it: dockerd --ip=127.0.0.1 &)"
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || [[ $BASE_IMAGE != leaseflow/* ]] \
  || die "$BASE_IMAGE missing: run docker/build-images.sh jre first"

LOG_DIR="$(mktemp -d /tmp/leaseflow-service-images.XXXXXX)"
trap 'rm -rf "$LOG_DIR"' EXIT

if [[ $PACKAGE -eq 1 ]]; then
  log "packaging ${MODULES[*]} ..."
  modules_csv=$(IFS=,; echo "${MODULES[*]}")
  (cd "$REPO_DIR" && ./mvnw -B $MVN_OFFLINE -q package -DskipTests -pl "$modules_csv" -am) >"$LOG_DIR/mvn.log" 2>&1 \
    || { tail -n 40 "$LOG_DIR/mvn.log" >&2; die "maven package failed"; }
fi

for module in "${MODULES[@]}"; do
  ctx="$REPO_DIR/$module/target/quarkus-app"
  [[ -f $ctx/quarkus-run.jar ]] || die "$ctx/quarkus-run.jar missing: build with ./mvnw -o -q package -DskipTests -pl $module (or pass --package)"
  tag="leaseflow/$module:$TAG"
  start=$SECONDS
  # The Dockerfile lives outside the context; docker 20.10 without BuildKit reads it from stdin.
  docker build --pull=false -t "$tag" --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "SERVICE=$module" \
      --build-arg "PORT=${PORT[$module]}" -f - "$ctx" <"$SCRIPT_DIR/service/Dockerfile" >"$LOG_DIR/$module.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/$module.log" >&2; die "docker build of $tag failed"; }
  log "built $tag in $((SECONDS - start))s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
done

if [[ $FORCE_PROM -eq 1 ]] || ! docker image inspect leaseflow/prometheus:2 >/dev/null 2>&1; then
  docker image inspect leaseflow/debian:bookworm >/dev/null 2>&1 || die "leaseflow/debian:bookworm missing: run docker/build-images.sh debian"
  start=$SECONDS
  docker build --network host --pull=false -t leaseflow/prometheus:2 "$SCRIPT_DIR/prometheus" >"$LOG_DIR/prometheus.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/prometheus.log" >&2; die "docker build of leaseflow/prometheus:2 failed"; }
  log "built leaseflow/prometheus:2 in $((SECONDS - start))s"
fi
# untagged leftovers of earlier builds of these images
docker image prune -f --filter label=leaseflow.image=true >/dev/null || true

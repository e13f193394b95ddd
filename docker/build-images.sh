#!/usr/bin/env bash
# Builds the leaseflow local container images from Debian packages and Maven Central jars only
# (no Docker registry needed):
#
#   leaseflow/debian:bookworm   debootstrap --variant=minbase + docker import
#   leaseflow/postgres:15       Debian postgresql-15, official-image compatible entrypoint
#   leaseflow/rabbitmq:3        Debian rabbitmq-server 3.10 + management plugin
#   leaseflow/jre:17            Debian openjdk-17-jre-headless + user leaseflow (uid 1001)
#   leaseflow/kafka:4.1.2       leaseflow/jre:17 + Kafka 4.1.2 jars from Maven Central,
#                               apache/kafka compatible /etc/kafka/docker/run
#
# Usage: docker/build-images.sh [--force] [debian|postgres|rabbitmq|jre|kafka ...]
#   Existing tags are skipped unless --force is given. Without image names, all are built.
# Environment:
#   DEBIAN_MIRROR           override the mirror (default: read from this machine's apt sources)
#   DEBIAN_SECURITY_MIRROR  override the security mirror (default: from apt sources, if any)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
MVNW="$REPO_DIR/mvnw"
SUITE=bookworm
KAFKA_VERSION=4.1.2
SLF4J_VERSION=2.0.17
LOG4J_VERSION=2.25.3

IMG_DEBIAN=leaseflow/debian:bookworm
IMG_POSTGRES=leaseflow/postgres:15
IMG_RABBITMQ=leaseflow/rabbitmq:3
IMG_JRE=leaseflow/jre:17
IMG_KAFKA=leaseflow/kafka:${KAFKA_VERSION}

FORCE=0
SELECTED=()
for arg in "$@"; do
  case "$arg" in
    --force|-f) FORCE=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    debian|postgres|rabbitmq|jre|kafka) SELECTED+=("$arg") ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
[[ ${#SELECTED[@]} -eq 0 ]] && SELECTED=(debian postgres rabbitmq jre kafka)

log() { printf '[build-images] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

WORK_DIR="$(mktemp -d /tmp/leaseflow-images.XXXXXX)"
cleanup() { rm -rf "$WORK_DIR"; }
trap cleanup EXIT
trap 'log "FAILED (line $LINENO)"' ERR

command -v docker >/dev/null || die "docker not found"
docker info >/dev/null 2>&1 || die "docker engine not running (start it: dockerd --ip=127.0.0.1 &)"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
selected() { local s; for s in "${SELECTED[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

# --- apt mirror detection ----------------------------------------------------------------
# Prints the first URI of an enabled "deb" source whose suites contain $1 (e.g. bookworm,
# bookworm-security). Reads both one-line (*.list) and deb822 (*.sources) formats.
apt_uri_for_suite() {
  local want="$1" f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    awk -v want="$want" '
      /^[[:space:]]*deb[[:space:]]/ {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i+1) == want) { print $i; exit }
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk -v want="$want" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " want " ") && uris != "") {
          split(uris, u, " "); print u[1]; found = 1
        }
        types = ""; uris = ""; suites = ""; enabled = ""
      }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); if (found) exit; next }
      { line = $0; key = line; sub(/:.*/, "", key); val = line; sub(/^[^:]*:[[:space:]]*/, "", val)
        key = tolower(key)
        if (key == "types") types = val; else if (key == "uris") uris = val
        else if (key == "suites") suites = val; else if (key == "enabled") enabled = tolower(val) }
      END { if (!found) flush() }' "$f"
  done
}

detect_mirrors() {
  MIRROR="${DEBIAN_MIRROR:-$(apt_uri_for_suite "$SUITE" | head -n1)}"
  SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-$(apt_uri_for_suite "$SUITE-security" | head -n1)}"
  # <suite>-updates lives on the main mirror; include it when this machine uses it
  UPDATES_MIRROR=""
  [[ -n $(apt_uri_for_suite "$SUITE-updates" | head -n1) ]] && UPDATES_MIRROR="$MIRROR"
  [[ -n $MIRROR ]] || die "could not find a '$SUITE' deb source in /etc/apt/sources.list{,.d/*}; set DEBIAN_MIRROR"
  MIRROR="${MIRROR%/}"; SECURITY_MIRROR="${SECURITY_MIRROR%/}"
  log "Debian mirror: $MIRROR (updates: ${UPDATES_MIRROR:-none}, security: ${SECURITY_MIRROR:-none})"
}

# --- image builders ----------------------------------------------------------------------
build_debian() {
  command -v debootstrap >/dev/null || die "debootstrap not installed (apt-get install debootstrap)"
  [[ $(id -u) -eq 0 ]] || die "debootstrap needs root"
  detect_mirrors
  local root="$WORK_DIR/rootfs"
  debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >"$WORK_DIR/debootstrap.log" 2>&1 \
    || { tail -n 30 "$WORK_DIR/debootstrap.log" >&2; die "debootstrap failed"; }

  # apt sources: same mirror(s) as this machine
  rm -f "$root/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s%s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$MIRROR" "$SUITE" "${UPDATES_MIRROR:+ $SUITE-updates}"
    if [[ -n $SECURITY_MIRROR ]]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$SECURITY_MIRROR" "$SUITE"
    fi
  } >"$root/etc/apt/sources.list.d/debian.sources"

  # container-friendly apt/dpkg settings (as in the official debian image)
  cat >"$root/usr/sbin/policy-rc.d" <<'EOT'
#!/bin/sh
# no services are started during package installation inside images
exit 101
EOT
  chmod 755 "$root/usr/sbin/policy-rc.d"
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOT
  cat >"$root/etc/apt/apt.conf.d/docker-no-recommends" <<'EOT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOT
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker-nodoc" <<'EOT'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOT
  # drop docs/caches already installed by debootstrap
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
  mkdir -p "$root/usr/share/man/man1"   # openjdk's postinst needs it
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
         "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/var/tmp/*
  : >"$root/etc/machine-id" 2>/dev/null || true
  rm -f "$root/etc/hostname" "$root/etc/resolv.conf"

  tar --numeric-owner -C "$root" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'CMD ["bash"]' \
    -c 'LABEL leaseflow.image=true' \
    -m "debootstrap --variant=minbase $SUITE $MIRROR" - "$IMG_DEBIAN" >/dev/null
}

docker_build() { # tag context-dir [extra docker build args...]
  local tag="$1" ctx="$2"; shift 2
  docker build --network host --pull=false -t "$tag" "$@" "$ctx" >"$WORK_DIR/build-${tag//[\/:]/_}.log" 2>&1 \
    || { tail -n 40 "$WORK_DIR/build-${tag//[\/:]/_}.log" >&2; die "docker build of $tag failed"; }
}

build_postgres() { docker_build "$IMG_POSTGRES" "$SCRIPT_DIR/postgres" --build-arg "BASE_IMAGE=$IMG_DEBIAN"; }
build_rabbitmq() { docker_build "$IMG_RABBITMQ" "$SCRIPT_DIR/rabbitmq" --build-arg "BASE_IMAGE=$IMG_DEBIAN"; }
build_jre()      { docker_build "$IMG_JRE" "$SCRIPT_DIR/jre" --build-arg "BASE_IMAGE=$IMG_DEBIAN"; }

build_kafka() {
  [[ -x $MVNW ]] || die "$MVNW not found"
  local ctx="$WORK_DIR/kafka-context" pomdir="$WORK_DIR/kafka-pom"
  mkdir -p "$ctx/libs" "$pomdir"
  cp -a "$SCRIPT_DIR/kafka/." "$ctx/"
  # throwaway pom: kafka_2.13 + all runtime deps, slf4j 2.x + log4j2 binding
  cat >"$pomdir/pom.xml" <<EOT
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>leaseflow.docker</groupId>
  <artifactId>kafka-image-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>${SLF4J_VERSION}</version></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
EOT
  (cd "$pomdir" && "$MVNW" -B -q -f "$pomdir/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$ctx/libs") >"$WORK_DIR/kafka-mvn.log" 2>&1 \
    || { tail -n 40 "$WORK_DIR/kafka-mvn.log" >&2; die "fetching Kafka jars from Maven Central failed"; }
  ls "$ctx/libs"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null || die "kafka_2.13-$KAFKA_VERSION.jar missing"
  if ls "$ctx/libs" | grep -q '^slf4j-api-1\.'; then die "slf4j 1.x ended up on the Kafka classpath"; fi
  chmod 755 "$ctx/run" "$ctx/configure-properties"
  chmod 644 "$ctx/log4j2.xml" "$ctx"/libs/*.jar
  docker_build "$IMG_KAFKA" "$ctx" --build-arg "BASE_IMAGE=$IMG_JRE"
}

# --- main --------------------------------------------------------------------------------
declare -A TAG=([debian]=$IMG_DEBIAN [postgres]=$IMG_POSTGRES [rabbitmq]=$IMG_RABBITMQ [jre]=$IMG_JRE [kafka]=$IMG_KAFKA)
declare -A DEPENDS=([postgres]=debian [rabbitmq]=debian [jre]=debian [kafka]=jre)
SUMMARY=()
TOTAL_START=$SECONDS

for name in debian postgres rabbitmq jre kafka; do
  selected "$name" || continue
  tag="${TAG[$name]}"
  if [[ $FORCE -eq 0 ]] && image_exists "$tag"; then
    log "$tag exists, skipping (use --force to rebuild)"
    SUMMARY+=("$(printf '%-28s skipped (exists)' "$tag")")
    continue
  fi
  dep="${DEPENDS[$name]:-}"
  if [[ -n $dep ]] && ! image_exists "${TAG[$dep]}"; then
    die "$tag needs ${TAG[$dep]}; build it first ($0 $dep)"
  fi
  log "building $tag ..."
  start=$SECONDS
  "build_$name"
  secs=$((SECONDS - start))
  size="$(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1000/1000}')"
  log "built $tag in ${secs}s ($size)"
  SUMMARY+=("$(printf '%-28s built in %4ss  %s' "$tag" "$secs" "$size")")
done

if [[ $FORCE -eq 1 ]]; then
  # images replaced by --force are left untagged; remove those (all leaseflow images carry the label)
  docker image prune -f --filter label=leaseflow.image=true >/dev/null || true
fi
log "done in $((SECONDS - TOTAL_START))s"
printf '  %s\n' "${SUMMARY[@]}" >&2

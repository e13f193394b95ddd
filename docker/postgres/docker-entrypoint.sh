#!/usr/bin/env bash
# Entrypoint compatible with the official postgres image, for Debian's postgresql-15.
#  - first start: initdb with POSTGRES_USER (superuser, default "postgres") and POSTGRES_PASSWORD,
#    create POSTGRES_DB (default = user), run /docker-entrypoint-initdb.d/*.sh|*.sql, using a
#    temporary socket-only server which is stopped again (so "database system is ready to accept
#    connections" is logged twice on first start, like the official image)
#  - remote hosts authenticate with POSTGRES_HOST_AUTH_METHOD (default scram-sha-256), local is trusted
#  - "postgres -c x=y ..." or "-c x=y ..." as command: options are appended to the server command
set -Eeuo pipefail

# Started as root (e.g. --user root): fix ownership and drop to the postgres user.
if [[ $(id -u) -eq 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

# Anything that is not the server (e.g. "bash", "psql") is executed as is.
if [[ $# -gt 0 && $1 != postgres && $1 != -* ]]; then
  exec "$@"
fi
[[ ${1:-} == postgres ]] && shift

file_env() { # support VAR_FILE like the official image
  local var="$1" fvar="${1}_FILE" def="${2:-}"
  if [[ -n ${!fvar:-} ]]; then export "$var"="$(<"${!fvar}")"; elif [[ -z ${!var:-} ]]; then export "$var"="$def"; fi
  unset "$fvar"
}

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  if [[ -z $POSTGRES_PASSWORD && $auth != trust ]]; then
    cat >&2 <<'EOM'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser, or use POSTGRES_HOST_AUTH_METHOD=trust to allow all connections.
EOM
    exit 1
  fi

  mkdir -p "$PGDATA" && chmod 700 "$PGDATA"
  pwfile="$(mktemp)"
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  # shellcheck disable=SC2086
  initdb -D "$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" \
         --encoding=UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"

  {
    echo
    echo "listen_addresses = '*'"
  } >>"$PGDATA/postgresql.conf"
  {
    echo
    echo "host all all all $auth"
  } >>"$PGDATA/pg_hba.conf"

  # temporary server, unix socket only
  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start

  export PGPASSWORD="${POSTGRES_PASSWORD:-}"
  psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [[ $POSTGRES_DB != postgres ]]; then
    echo "CREATE DATABASE :\"db\";" | "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB"
  fi
  shopt -s nullglob
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)     echo "running $f"; if [[ -x $f ]]; then "$f"; else . "$f"; fi ;;
      *.sql)    echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      *)        echo "ignoring $f" ;;
    esac
  done
  unset PGPASSWORD

  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -m fast -w stop
  echo
  echo 'PostgreSQL init process complete; ready for start up.'
  echo
fi

exec postgres -D "$PGDATA" "$@"

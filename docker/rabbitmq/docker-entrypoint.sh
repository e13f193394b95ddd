#!/usr/bin/env bash
# Starts Debian's rabbitmq-server in the foreground as user rabbitmq, logging to stdout.
# RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS / RABBITMQ_DEFAULT_VHOST are honoured like in the
# official image (written as default_user/default_pass/default_vhost into a generated config that
# extends /etc/rabbitmq/rabbitmq.conf) unless RABBITMQ_CONFIG_FILE is set by the caller.
set -Eeuo pipefail

if [[ $(id -u) -eq 0 ]]; then
  chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$0" "$@"
fi

if [[ ${1:-} == rabbitmq-server ]]; then
  export RABBITMQ_LOGS="${RABBITMQ_LOGS:--}"
  if [[ -z ${RABBITMQ_CONFIG_FILE:-} ]] && \
     [[ -n ${RABBITMQ_DEFAULT_USER:-}${RABBITMQ_DEFAULT_PASS:-}${RABBITMQ_DEFAULT_VHOST:-} ]]; then
    conf=/var/lib/rabbitmq/leaseflow-rabbitmq.conf
    {
      cat /etc/rabbitmq/rabbitmq.conf
      if [[ -n ${RABBITMQ_DEFAULT_USER:-} ]]; then echo "default_user = $RABBITMQ_DEFAULT_USER"; fi
      if [[ -n ${RABBITMQ_DEFAULT_PASS:-} ]]; then echo "default_pass = $RABBITMQ_DEFAULT_PASS"; fi
      if [[ -n ${RABBITMQ_DEFAULT_VHOST:-} ]]; then echo "default_vhost = $RABBITMQ_DEFAULT_VHOST"; fi
    } >"$conf"
    export RABBITMQ_CONFIG_FILE="$conf"
  fi
  shift
  # /usr/lib/rabbitmq/bin/rabbitmq-server (not Debian's /usr/sbin wrapper, which logs to a file)
  exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi

exec "$@"

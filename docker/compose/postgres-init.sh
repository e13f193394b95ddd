#!/bin/bash
# One PostgreSQL, one database per service, each owned by its own role: no service can read another's tables.
# Runs once, on the first start of an empty data volume (docker-entrypoint-initdb.d).
set -euo pipefail
for pair in lease_watcher:leaseflow_watcher stack_launcher:leaseflow_launcher hosts_exchange:leaseflow_exchange; do
  role=${pair%%:*}; db=${pair#*:}
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v role="$role" -v db="$db" -v pw="$LEASEFLOW_DB_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'pw';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
done

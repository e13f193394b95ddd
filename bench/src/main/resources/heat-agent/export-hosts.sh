#!/bin/sh
# leaseflow hosts-exchange, phase 1 (heat-config "script" hook), as the repo's export-hosts.sh, except that the host
# name is the member key (deploy_server_id): the benchmark's members share one machine, hence one hostname.
set -eu
ip=$(hostname -I 2>/dev/null | awk '{print $1}') || ip=
if [ -z "$ip" ]; then
  ip=127.0.0.1
fi
printf '%s %s\n' "$ip" "$deploy_server_id" > "${heat_outputs_path}.hosts"
echo "exported: $ip $deploy_server_id"

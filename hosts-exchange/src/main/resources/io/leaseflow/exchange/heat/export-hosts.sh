#!/bin/sh
# leaseflow hosts-exchange, phase 1 (heat-config "script" hook): report this server's /etc/hosts line as output "hosts".
set -eu
ip=$(hostname -I 2>/dev/null | awk '{print $1}') || ip=
if [ -z "$ip" ]; then
  ip=$(ip -4 -o addr show scope global 2>/dev/null | awk '{split($4, a, "/"); print a[1]; exit}') || ip=
fi
printf '%s %s\n' "$ip" "$(hostname)" > "${heat_outputs_path}.hosts"

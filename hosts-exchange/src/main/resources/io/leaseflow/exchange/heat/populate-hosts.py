#!/usr/bin/env python3
# leaseflow hosts-exchange, phase 2 (heat-config "script" hook): install every member's hosts line.
# The input "hosts" is typed Json, so the hook hands it over as JSON text: json.loads, no ast.literal_eval.
import json
import os

group = os.environ.get('deploy_stack_id', 'leaseflow')
hosts = json.loads(os.environ.get('hosts') or '{}')
target = os.environ.get('LEASEFLOW_HOSTS_FILE', '/etc/hosts')
begin = '# BEGIN leaseflow group %s' % group
end = '# END leaseflow group %s' % group
try:
    with open(target) as f:
        lines = f.read().splitlines()
except FileNotFoundError:
    lines = []
kept, inside = [], False
for line in lines:
    if line == begin:
        inside = True
    elif line == end:
        inside = False
    elif not inside:
        kept.append(line)
entries = [value.strip() for _, value in sorted(hosts.items()) if value.strip()]
with open(target, 'w') as f:
    f.write('\n'.join(kept + [begin] + entries + [end]) + '\n')
print('installed %d hosts lines from leaseflow group %s' % (len(entries), group))

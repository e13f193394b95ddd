#!/usr/bin/python3
# Reconstruction of heat-agents heat-config-script/install.d/hook-script.py (the `script` hook; not packaged in
# Debian), from openstack-protocols.md §5.4 and §9.2. Reproduced:
#  - every input becomes an environment variable of the same name; dict/list values are json.dumps-ed, strings pass
#    unchanged, anything else is handed to the environment as is (so a JSON integer crashes the hook, as observed);
#  - the config is written to HEAT_SCRIPT_WORKING/<id> (mode 0700) and executed directly (it needs a shebang), with
#    heat_outputs_path = HEAT_SCRIPT_OUTPUTS/<id>;
#  - the answer on stdout: each declared output X read raw from ${heat_outputs_path}.X when that file exists, then
#    deploy_stdout, deploy_stderr and deploy_status_code (the script's return code).
import json
import os
import subprocess
import sys
import time

WORKING_DIR = os.environ.get('HEAT_SCRIPT_WORKING', '/var/lib/heat-config/heat-config-script')
OUTPUTS_DIR = os.environ.get('HEAT_SCRIPT_OUTPUTS', '/var/run/heat-config/heat-config-script')


def log(level, message):
    sys.stderr.write('[%s] (heat-config) [%s] %s\n' % (time.strftime('%Y-%m-%d %H:%M:%S'), level, message))


def main():
    for directory in (OUTPUTS_DIR, WORKING_DIR):
        if not os.path.isdir(directory):
            os.makedirs(directory, 0o700)
    os.chdir(WORKING_DIR)
    c = json.load(sys.stdin)
    env = os.environ.copy()
    for i in c['inputs']:
        value = i.get('value', '')
        env[i['name']] = json.dumps(value) if isinstance(value, (dict, list)) else value
        log('INFO', '%s=%s' % (i['name'], env[i['name']]))
    script = os.path.join(WORKING_DIR, c['id'])
    outputs_path = os.path.join(OUTPUTS_DIR, c['id'])
    env['heat_outputs_path'] = outputs_path
    with os.fdopen(os.open(script, os.O_CREAT | os.O_WRONLY, 0o700), 'w') as f:
        f.write(c.get('config', ''))
    log('DEBUG', 'Running %s' % script)
    run = subprocess.run([script], capture_output=True, env=env)
    if run.returncode:
        log('ERROR', 'Error running %s. [%s]' % (script, run.returncode))
    response = {}
    for output in c.get('outputs') or []:
        try:
            with open('%s.%s' % (outputs_path, output['name'])) as f:
                response[output['name']] = f.read()
        except IOError:
            pass
    response.update({'deploy_stdout': run.stdout.decode('utf-8', 'replace'),
                     'deploy_stderr': run.stderr.decode('utf-8', 'replace'),
                     'deploy_status_code': run.returncode})
    json.dump(response, sys.stdout)


if __name__ == '__main__':
    sys.exit(main())

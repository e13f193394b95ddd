#!/bin/sh
# leaseflow-agent.sh - report this instance's outputs to a leaseflow hosts-exchange group, wait until every
# member has reported, and install the aggregate into /etc/hosts. POSIX sh + curl (7.55+), nothing else.
#
# Usage: leaseflow-agent.sh [GROUP_URL [JOIN_TOKEN [HOSTS_FILE]]]
#   GROUP_URL   https://exchange.example.org/v1/groups/<id>   (or LEASEFLOW_GROUP_URL)
#   JOIN_TOKEN  the group's join token                         (or LEASEFLOW_JOIN_TOKEN; prefer the variable:
#                                                               arguments show up in ps)
#   HOSTS_FILE  file to install into (default /etc/hosts)      (or LEASEFLOW_HOSTS_FILE)
# Optional environment:
#   LEASEFLOW_KEY        member key, [A-Za-z0-9._-]{1,64} (default: short hostname)
#   LEASEFLOW_OUTPUT     output to report and install (default: hosts)
#   LEASEFLOW_VALUE      value to report (default: "<first IPv4 address> <hostname>")
#   LEASEFLOW_STATE_DIR  where the member secret is kept across runs (default: /var/lib/leaseflow)
#   LEASEFLOW_WAIT       long-poll wait per request (default: 60s; the server caps it at 300s)
# The installed text sits between "# BEGIN/END leaseflow group <id>" lines, replaced on every run.
# Exit status: 0 installed (group COMPLETE, or PARTIAL by its on_timeout policy), 3 group EXPIRED, 1 error.
set -eu

url=${1:-${LEASEFLOW_GROUP_URL:?group URL: argument 1 or LEASEFLOW_GROUP_URL}}
token=${2:-${LEASEFLOW_JOIN_TOKEN:?join token: argument 2 or LEASEFLOW_JOIN_TOKEN}}
hosts_file=${3:-${LEASEFLOW_HOSTS_FILE:-/etc/hosts}}
url=${url%/}
key=${LEASEFLOW_KEY:-$(hostname -s 2>/dev/null || hostname)}
output=${LEASEFLOW_OUTPUT:-hosts}
state_dir=${LEASEFLOW_STATE_DIR:-/var/lib/leaseflow}
wait=${LEASEFLOW_WAIT:-60s}
group=${url##*/}

log() { echo "leaseflow-agent: group=$group key=$key: $*" >&2; }

if [ -z "${LEASEFLOW_VALUE:-}" ]; then
    ip=$(hostname -I 2>/dev/null | awk '{print $1}') || ip=
    [ -n "$ip" ] || ip=$(ip -4 route get 1.1.1.1 2>/dev/null |
        awk '{for (i = 1; i < NF; i++) if ($i == "src") { print $(i + 1); exit }}') || ip=
    [ -n "$ip" ] || { log "cannot find an IPv4 address; set LEASEFLOW_VALUE"; exit 1; }
    LEASEFLOW_VALUE="$ip $(hostname)"
fi

umask 077
mkdir -p "$state_dir"
secret_file="$state_dir/$group.$key.secret"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# Secrets go to curl through header files, never through its arguments.
printf 'Authorization: Bearer %s\n' "$token" > "$tmp/auth"

# JSON string body of $1: escape backslash, quote, tab, CR; join lines with \n.
json_string() {
    tab=$(printf '\t'); cr=$(printf '\r')
    printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e "s/$tab/\\\\t/g" -e "s/$cr/\\\\r/g" |
        awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }'
}

backoff() { n=$((n + 1)); sleep $((n < 30 ? n : 30)); }

# 1. Report: the first write claims the key and returns the member secret later writes must present.
printf '{"outputs":{"%s":"%s"}}' "$output" "$(json_string "$LEASEFLOW_VALUE")" > "$tmp/report"
n=0
while :; do
    set -- -sS -o "$tmp/put" -w '%{http_code}' -X PUT -H @"$tmp/auth" -H 'Content-Type: application/json' \
        --data-binary @"$tmp/report"
    if [ -s "$secret_file" ]; then
        printf 'X-Member-Secret: %s\n' "$(cat "$secret_file")" > "$tmp/secret"
        set -- "$@" -H @"$tmp/secret"
    fi
    code=$(curl "$@" "$url/members/$key") || code=000
    case $code in
        201) sed -n 's/.*"member_secret":"\([^"]*\)".*/\1/p' "$tmp/put" > "$secret_file"; log "reported (claimed key)"; break ;;
        200) log "reported (updated)"; break ;;
        409) log "group no longer open; fetching what it has"; break ;;
        000 | 429 | 5??) log "report failed (HTTP $code), retrying"; backoff ;;
        *) log "report refused: HTTP $code $(cat "$tmp/put")"; exit 1 ;;
    esac
done

# 2. Long-poll until the group is closed; each answer carries an ETag that the next request presents.
etag=
n=0
while :; do
    : > "$tmp/headers"
    set -- -sS -D "$tmp/headers" -o "$tmp/inputs" -w '%{http_code}' --max-time 400 -H @"$tmp/auth"
    if [ -n "$etag" ]; then
        printf 'If-None-Match: %s\n' "$etag" > "$tmp/etag"
        set -- "$@" -H @"$tmp/etag"
    fi
    code=$(curl "$@" "$url/inputs?wait=$wait") || code=000
    case $code in
        200)
            n=0
            etag=$(tr -d '\r' < "$tmp/headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p')
            status=$(sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p' "$tmp/inputs")
            case $status in
                OPEN) continue ;;
                COMPLETE | PARTIAL) log "group $status"; break ;;
                EXPIRED) log "group EXPIRED before every member reported"; exit 3 ;;
                *) log "unexpected answer: $(cat "$tmp/inputs")"; exit 1 ;;
            esac ;;
        304) n=0 ;;
        000 | 429 | 5??) log "poll failed (HTTP $code), retrying"; backoff ;;
        *) log "poll refused: HTTP $code $(cat "$tmp/inputs")"; exit 1 ;;
    esac
done

# 3. Install: replace this group's block, keep the rest of the file (and its inode: /etc/hosts may be a mount).
code=$(curl -sS -o "$tmp/text" -w '%{http_code}' -H @"$tmp/auth" "$url/inputs/$output?format=etc-hosts") || code=000
[ "$code" = 200 ] || { log "fetching $output failed: HTTP $code"; exit 1; }
begin="# BEGIN leaseflow group $group"
end="# END leaseflow group $group"
{
    if [ -f "$hosts_file" ]; then
        awk -v b="$begin" -v e="$end" '$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' "$hosts_file"
    fi
    echo "$begin"
    cat "$tmp/text"
    echo "$end"
} > "$tmp/new"
[ -f "$hosts_file" ] || { : > "$hosts_file"; chmod 644 "$hosts_file"; }
cat "$tmp/new" > "$hosts_file"
log "installed $(grep -c . "$tmp/text") line(s) of $output into $hosts_file"

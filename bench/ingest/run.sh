#!/usr/bin/env bash
# bench/ingest: durable ingest throughput of `hooktrail serve` driven by wrk, next to an nginx
# answering a static 200 with one worker, in the same run. Prints requests/s, p50/p99 latency,
# peak memory and the ratio to nginx.
# Usage: [ROUNDS=3] bench/ingest/run.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]
set -euo pipefail
binary=$(readlink -f "${1:?usage: run.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]}")
seconds=${2:-10}
connections=${3:-64}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench: wrk is not installed (scripts/install-deps.sh bench)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
              || echo $(( 20000 + RANDOM % 20000 )); }

# wrk --latency output → "rps p50_ms p99_ms non2xx"
parse_wrk() {
    awk '
        function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
        /Requests\/sec/ { rps = $2 }
        $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
        $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
        /Non-2xx/ { bad = $5 }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }' "$1"
}

data="$work/data"
"$binary" webhook add --name bench --data-dir "$data" > "$work/webhook.json"
webhook_id=$(sed -n 's/.*"id": "\([0-9a-f-]*\)".*/\1/p' "$work/webhook.json")
key=$("$binary" key add --name bench --data-dir "$data" 2>/dev/null)
port=$(free_port)
"$binary" serve --listen "127.0.0.1:$port" --data-dir "$data" > "$work/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
for _ in $(seq 50); do grep -q "receiving on" "$work/serve.log" && break; sleep 0.1; done
url="http://127.0.0.1:$port/v1/data/webhook/$webhook_id?api-key=$key"
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"warm":true}' "$url" || true)
[[ "$status" == 200 ]] || { echo "bench: the receiver answered $status to a valid request" >&2; cat "$work/serve.log" >&2; exit 1; }

# Machines here are shared and noisy: the 300-byte case and nginx run in alternation, ROUNDS
# times each, and the ratio is taken between their medians.
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
start_nginx() {
    nport=$(free_port)
    mkdir -p "$work/nginx/logs"
    cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nport;
        location / { return 200 "ok\n"; }
    }
}
CONF
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
    nginx_pid=$!
    pids+=("$nginx_pid")
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nport/" && break; sleep 0.1; done
}
have_nginx=false
command -v nginx >/dev/null && { have_nginx=true; start_nginx; }

rounds=${ROUNDS:-3}
small=() nginx_runs=()
for round in $(seq "$rounds"); do
    BODY_BYTES=300 wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/post.lua" "$url" > "$work/wrk-300-$round.txt"
    small+=("$(parse_wrk "$work/wrk-300-$round.txt")")
    if $have_nginx; then
        wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$nport/" > "$work/wrk-nginx-$round.txt"
        nginx_runs+=("$(parse_wrk "$work/wrk-nginx-$round.txt")")
    fi
done
results=()
results+=("300 $(printf '%s\n' "${small[@]}" | awk '{print $1}' | median) $(printf '%s\n' "${small[@]}" | awk '{print $2}' | median) $(printf '%s\n' "${small[@]}" | awk '{print $3}' | median) $(printf '%s\n' "${small[@]}" | awk '{s+=$4} END {print s+0}')")
for bytes in 4096 65536; do
    BODY_BYTES=$bytes wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/post.lua" "$url" > "$work/wrk-$bytes.txt"
    read -r rps p50 p99 bad < <(parse_wrk "$work/wrk-$bytes.txt")
    results+=("$bytes $rps $p50 $p99 $bad")
done
peak_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$serve_pid/status")
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
logged=$("$binary" log --data-dir "$data" --limit 1 --format jsonl | sed -n 's/.*"id":\([0-9]*\).*/\1/p')

nginx_line="nginx not installed: no ratio"
nginx_rps=0
if $have_nginx; then
    nginx_rps=$(printf '%s\n' "${nginx_runs[@]}" | awk '{print $1}' | median)
    np99=$(printf '%s\n' "${nginx_runs[@]}" | awk '{print $3}' | median)
    nginx_line="nginx static 200 (1 worker): median $nginx_rps req/s, p99 $np99 ms"
fi
echo "300-byte rounds (req/s p50 p99), hooktrail: $(printf '%s; ' "${small[@]}")"
$have_nginx && echo "nginx rounds (req/s p50 p99): $(printf '%s; ' "${nginx_runs[@]}")"
echo "bench/ingest: wrk -t2 -c$connections -d${seconds}s, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf "%-10s %10s %9s %9s %8s %12s\n" body req/s p50_ms p99_ms non2xx ratio_nginx
for row in "${results[@]}"; do
    read -r bytes rps p50 p99 bad <<<"$row"
    ratio="-"
    [[ "$nginx_rps" != 0 ]] && ratio=$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN { printf "%.2f", a/b }')
    printf "%-10s %10s %9s %9s %8s %12s\n" "${bytes}B" "$rps" "$p50" "$p99" "$bad" "$ratio"
done
echo "$nginx_line"
echo "hooktrail peak memory (VmHWM): $(( peak_kib / 1024 )) MiB; rows in the log: ${logged:-0}"

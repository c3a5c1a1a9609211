#!/usr/bin/env bash
# bench/delivery: what forwarding costs and how fast it goes, in one run on one machine.
#   1. ingest (wrk, CONNECTIONS, ~200-byte JSON) without a destination and with one (a local
#      nginx answering 200), alternating, ROUNDS times each: req/s, p99, the ratio;
#   2. deliveries/s sustained: the forwarded load's deliveries over load plus drain time;
#   3. receipt-to-delivery latency at RATE requests/s (default 1000): p50, p99;
#   4. the backlog left by the destination down for DOWN_SECONDS (default 60) under a steady
#      200 requests/s, and how long it takes to drain once the destination is back.
# Usage: [ROUNDS=2] [RATE=1000] [DOWN_SECONDS=60] bench/delivery/run.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]
set -euo pipefail
binary=$(readlink -f "${1:?usage: run.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]}")
seconds=${2:-10}
connections=${3:-64}
rounds=${ROUNDS:-2}
rate=${RATE:-1000}
down=${DOWN_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
source "$here/../lib.sh"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for tool in wrk nginx python3 curl; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is not installed (scripts/install-deps.sh bench)" >&2; exit 1; }
done
start_nginx

# A data folder with one webhook and a key; with "forward", a destination on the nginx.
# Prints the endpoint's target (path and query).
provision() {
    local data=$1 forward=$2 id key
    id=$("$binary" webhook add --name bench --data-dir "$data" | sed -n 's/.*"id": "\([0-9a-f-]*\)".*/\1/p')
    key=$("$binary" key add --name bench --data-dir "$data" 2>/dev/null)
    if [[ "$forward" == forward ]]; then
        "$binary" destination add --webhook "$id" --url "http://127.0.0.1:$nport/in" --data-dir "$data" > /dev/null
    fi
    echo "/v1/data/webhook/$id?api-key=$key"
}
serve_pid=""
start_serve() {
    local data=$1
    sport=$(free_port)
    "$binary" serve --listen "127.0.0.1:$sport" --data-dir "$data" > "$work/serve-$sport.log" 2>&1 &
    serve_pid=$!
    pids+=("$serve_pid")
    for _ in $(seq 100); do grep -q "receiving on" "$work/serve-$sport.log" && return; sleep 0.1; done
    echo "bench: serve did not start" >&2; cat "$work/serve-$sport.log" >&2; exit 1
}
stop_serve() { kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; }
# Seconds (with decimals) until no delivery of the database is left unfinished.
drain_seconds() {
    local db=$1 start limit=${2:-900}
    start=$(date +%s.%N)
    while (( $(python3 "$here/figures.py" "$db" unfinished) > 0 )); do
        awk -v s="$start" -v n="$(date +%s.%N)" -v l="$limit" 'BEGIN { exit !(n - s > l) }' && break
        sleep 0.05
    done
    echo "$(date +%s.%N) $start" | awk '{ printf "%.2f", $1 - $2 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

plain="$work/plain" forwarded="$work/forwarded"
plain_target=$(provision "$plain" plain)
forwarded_target=$(provision "$forwarded" forward)
plain_rps=() plain_p99=() fwd_rps=() fwd_p99=() rates=()
for round in $(seq "$rounds"); do
    start_serve "$plain"
    BODY_BYTES=200 wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/../ingest/post.lua" "http://127.0.0.1:$sport$plain_target" > "$work/plain-$round.txt"
    stop_serve
    read -r rps _ p99 _ < <(parse_wrk "$work/plain-$round.txt")
    plain_rps+=("$rps"); plain_p99+=("$p99")

    start_serve "$forwarded"
    before=$(python3 "$here/figures.py" "$forwarded/hooktrail.db" delivered)
    BODY_BYTES=200 wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/../ingest/post.lua" "http://127.0.0.1:$sport$forwarded_target" > "$work/forwarded-$round.txt"
    drained=$(drain_seconds "$forwarded/hooktrail.db")
    after=$(python3 "$here/figures.py" "$forwarded/hooktrail.db" delivered)
    stop_serve
    read -r rps _ p99 _ < <(parse_wrk "$work/forwarded-$round.txt")
    fwd_rps+=("$rps"); fwd_p99+=("$p99")
    rates+=("$(echo "$((after - before)) $seconds $drained" | awk '{ printf "%.0f", $1 / ($2 + $3) }')")
    echo "round $round: without ${plain_rps[-1]} req/s; with $rps req/s, $((after - before)) delivered, drained ${drained}s after the load"
done

# Latency at a steady rate, on the forwarded folder.
start_serve "$forwarded"
first=$(python3 "$here/figures.py" "$forwarded/hooktrail.db" maxid)
read -r sent refused < <(python3 "$here/send.py" "http://127.0.0.1:$sport$forwarded_target" "$rate" 10 4)
drain_seconds "$forwarded/hooktrail.db" > /dev/null
read -r lat50 lat99 measured < <(python3 "$here/figures.py" "$forwarded/hooktrail.db" latency "$first")

# The destination down for a while, requests still coming: the backlog, then its drain.
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true
read -r backlog_sent _ < <(python3 "$here/send.py" "http://127.0.0.1:$sport$forwarded_target" 200 "$down" 2)
backlog=$(python3 "$here/figures.py" "$forwarded/hooktrail.db" unfinished)
old_port=$nport
# Back on the same port, as a restarted application would be.
sed -i "s/listen 127.0.0.1:[0-9]*;/listen 127.0.0.1:$old_port;/" "$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=("$!")
backlog_drain=$(drain_seconds "$forwarded/hooktrail.db" 1800)
stop_serve

mid() { printf '%s\n' "$@" | median; }
pr=$(mid "${plain_rps[@]}") fr=$(mid "${fwd_rps[@]}")
echo "bench/delivery: wrk -t2 -c$connections -d${seconds}s, ~200-byte JSON, $(nproc) cores, $rounds rounds, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf "ingest without a destination: %s req/s, p99 %s ms (median of: %s)\n" "$pr" "$(mid "${plain_p99[@]}")" "${plain_rps[*]}"
printf "ingest with one destination:  %s req/s, p99 %s ms (median of: %s)\n" "$fr" "$(mid "${fwd_p99[@]}")" "${fwd_rps[*]}"
echo "$fr $pr" | awk '{ printf "ratio with/without: %.2f (target >= 0.80)\n", $1 / $2 }'
printf "deliveries/s sustained (delivered / (load + drain)): %s (rounds: %s)\n" "$(mid "${rates[@]}")" "${rates[*]}"
printf "receipt to delivery at %s req/s (%s sent, %s refused, %s measured): p50 %s ms, p99 %s ms (targets 5, 50)\n" "$rate" "$sent" "$refused" "$measured" "$lat50" "$lat99"
printf "destination down %ss at 200 req/s: %s sent, backlog %s deliveries, drained %ss after it came back\n" "$down" "$backlog_sent" "$backlog" "$backlog_drain"

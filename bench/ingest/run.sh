#!/usr/bin/env bash
# bench/ingest: durable ingest throughput of `hooktrail serve` driven by wrk, next to an nginx
# answering a static 200 with one worker, in the same run. Prints requests/s, p50/p99 latency,
# peak memory, the ratio to nginx, the write-ahead log's peak size (sampled every 0.1 s) and the
# bytes the receiver wrote to disk per request (/proc/PID/io write_bytes). The 300-byte case also
# runs over TLS (a self-signed pair, a second listener of the same receiver, keep-alive as wrk
# does), in alternation with the plain one.
# Usage: [ROUNDS=3] [CONSOLE=1] bench/ingest/run.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]
# CONSOLE=1 also runs the console (offscreen) on the same data folder, on its History page,
# following the log live as a user watching it would.
set -euo pipefail
binary=$(readlink -f "${1:?usage: run.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]}")
seconds=${2:-10}
connections=${3:-64}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
source "$here/../lib.sh"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench: wrk is not installed (scripts/install-deps.sh bench)" >&2; exit 1; }

data="$work/data"
"$binary" webhook add --name bench --data-dir "$data" > "$work/webhook.json"
webhook_id=$(sed -n 's/.*"id": "\([0-9a-f-]*\)".*/\1/p' "$work/webhook.json")
key=$("$binary" key add --name bench --data-dir "$data" 2>/dev/null)
port=$(free_port)
tls_port=$(free_port)
"$binary" tls self-signed --host 127.0.0.1 --out "$work/tls" --data-dir "$data" > /dev/null 2>&1
"$binary" serve --listen "127.0.0.1:$port" --data-dir "$data" --listen-tls "127.0.0.1:$tls_port" \
    --tls-cert "$work/tls/certificate.pem" --tls-key "$work/tls/key.pem" > "$work/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
for _ in $(seq 50); do grep -q "receiving on" "$work/serve.log" && break; sleep 0.1; done
url="http://127.0.0.1:$port/v1/data/webhook/$webhook_id?api-key=$key"
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"warm":true}' "$url" || true)
[[ "$status" == 200 ]] || { echo "bench: the receiver answered $status to a valid request" >&2; cat "$work/serve.log" >&2; exit 1; }
tls_url="https://127.0.0.1:$tls_port/v1/data/webhook/$webhook_id?api-key=$key"
status=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/tls/certificate.pem" -H 'Content-Type: application/json' -d '{"warm":true}' "$tls_url" || true)
[[ "$status" == 200 ]] || { echo "bench: the TLS listener answered $status to a valid request" >&2; cat "$work/serve.log" >&2; exit 1; }

if [[ "${CONSOLE:-0}" == 1 ]]; then
    # The console's own receiver takes any free port; page 1 is History.
    printf '[receiver]\nport=0\n[window]\npage=1\n' >> "$data/hooktrail.ini"
    QT_QPA_PLATFORM=offscreen "$binary" --data-dir "$data" > "$work/console.log" 2>&1 &
    pids+=("$!")
    sleep 2
fi

# The write-ahead log's size every 0.1 s, one line each, for the peak during each case.
wal="$data/hooktrail.db-wal"
( while kill -0 "$serve_pid" 2>/dev/null; do stat -c %s "$wal" 2>/dev/null || echo 0; sleep 0.1; done ) > "$work/wal-sizes" &
pids+=("$!")
written() { awk '/^write_bytes/ { print $2 }' "/proc/$serve_pid/io"; }
requests_of() { awk '/requests in/ { print $1 }' "$1"; }
# Runs wrk; appends "bytes_per_request wal_peak_bytes" of the case to the named file.
measured_wrk() {
    local out=$1; shift
    local before_bytes before_line
    before_bytes=$(written)
    before_line=$(wc -l < "$work/wal-sizes")
    wrk "$@" > "$out"
    local after_bytes requests peak
    after_bytes=$(written)
    requests=$(requests_of "$out")
    peak=$(tail -n +"$((before_line + 1))" "$work/wal-sizes" | sort -n | tail -1)
    echo "$(( (after_bytes - before_bytes) / (requests > 0 ? requests : 1) )) ${peak:-0}" >> "$out.io"
}

# Machines here are shared and noisy: the 300-byte case and nginx run in alternation, ROUNDS
# times each, and the ratio is taken between their medians.
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
have_nginx=false
command -v nginx >/dev/null && { have_nginx=true; start_nginx; }

rounds=${ROUNDS:-3}
small=() nginx_runs=() tls_runs=()
for round in $(seq "$rounds"); do
    BODY_BYTES=300 measured_wrk "$work/wrk-300-$round.txt" -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/post.lua" "$url"
    small+=("$(parse_wrk "$work/wrk-300-$round.txt") $(cat "$work/wrk-300-$round.txt.io")")
    BODY_BYTES=300 measured_wrk "$work/wrk-tls-$round.txt" -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/post.lua" "$tls_url"
    tls_runs+=("$(parse_wrk "$work/wrk-tls-$round.txt") $(cat "$work/wrk-tls-$round.txt.io")")
    if $have_nginx; then
        wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$nport/" > "$work/wrk-nginx-$round.txt"
        nginx_runs+=("$(parse_wrk "$work/wrk-nginx-$round.txt")")
    fi
done
results=()
# One row of medians over rounds: "label req/s p50 p99 non2xx disk_bytes/req wal_peak".
median_row() {
    local label=$1; shift
    echo "$label $(printf '%s\n' "$@" | awk '{print $1}' | median) $(printf '%s\n' "$@" | awk '{print $2}' | median) $(printf '%s\n' "$@" | awk '{print $3}' | median) $(printf '%s\n' "$@" | awk '{s+=$4} END {print s+0}') $(printf '%s\n' "$@" | awk '{print $5}' | median) $(printf '%s\n' "$@" | awk '$6 > m { m = $6 } END {print m+0}')"
}
results+=("$(median_row 300B "${small[@]}")")
results+=("$(median_row 300B-TLS "${tls_runs[@]}")")
for bytes in 4096 65536; do
    BODY_BYTES=$bytes measured_wrk "$work/wrk-$bytes.txt" -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/post.lua" "$url"
    read -r rps p50 p99 bad < <(parse_wrk "$work/wrk-$bytes.txt")
    results+=("${bytes}B $rps $p50 $p99 $bad $(cat "$work/wrk-$bytes.txt.io")")
done
peak_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$serve_pid/status")
# Once the load stops the log should be emptied (checkpointed and truncated) within seconds.
sleep 3
wal_after=$(stat -c %s "$wal" 2>/dev/null || echo 0)
db_bytes=$(stat -c %s "$data/hooktrail.db")
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
logged=$("$binary" log --data-dir "$data" --limit 1 --format jsonl | sed -n 's/.*"id":\([0-9]*\).*/\1/p')

nginx_line="nginx not installed: no ratio"
nginx_rps=0
if $have_nginx; then
    nginx_rps=$(printf '%s\n' "${nginx_runs[@]}" | awk '{print $1}' | median)
    np99=$(printf '%s\n' "${nginx_runs[@]}" | awk '{print $3}' | median)
    nginx_line="nginx static 200 (1 worker): median $nginx_rps req/s, p99 $np99 ms"
fi
echo "300-byte rounds (req/s p50 p99 non2xx disk_bytes/req wal_peak_bytes), hooktrail: $(printf '%s; ' "${small[@]}")"
echo "300-byte rounds over TLS: $(printf '%s; ' "${tls_runs[@]}")"
$have_nginx && echo "nginx rounds (req/s p50 p99): $(printf '%s; ' "${nginx_runs[@]}")"
echo "bench/ingest: wrk -t2 -c$connections -d${seconds}s, $(nproc) cores, console ${CONSOLE:-0}, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf "%-10s %10s %9s %9s %8s %12s %14s %12s\n" body req/s p50_ms p99_ms non2xx ratio_nginx disk_bytes/req wal_peak_MiB
for row in "${results[@]}"; do
    read -r bytes rps p50 p99 bad per_request wal_peak <<<"$row"
    ratio="-"
    [[ "$nginx_rps" != 0 ]] && ratio=$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN { printf "%.2f", a/b }')
    printf "%-10s %10s %9s %9s %8s %12s %14s %12s\n" "$bytes" "$rps" "$p50" "$p99" "$bad" "$ratio" "$per_request" \
        "$(awk -v b="$wal_peak" 'BEGIN { printf "%.1f", b / 1048576 }')"
done
echo "$nginx_line"
echo "hooktrail peak memory (VmHWM): $(( peak_kib / 1024 )) MiB; rows in the log: ${logged:-0}"
echo "database file: $(( db_bytes / 1048576 )) MiB; write-ahead log 3 s after the load: $wal_after bytes"

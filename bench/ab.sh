#!/usr/bin/env bash
# bench/ab.sh: two builds of Hooktrail measured side by side in one run, for a change that must
# not move the figures (a refactoring). Machines here are shared and noisy, so the two builds
# take turns (A B, then B A, ...) and the figures compared are medians of the same run:
#   ingest   bench/ingest's 300-byte case (wrk, 64 connections), requests/s
#   history  hooktrail-historybench on one log filled once, the median ms of each query
#   instr    instructions (valgrind --tool=callgrind) per request of `hooktrail serve` taking
#            2,000 requests on one connection, and of one history pass on a small log: exact
#            (near enough) and repeatable, so a difference there is the code's, not the machine's
# Usage: bench/ab.sh BUILD_A BUILD_B [ROUNDS] [REQUESTS]   (RelWithDebInfo builds of both)
set -euo pipefail
a=$(readlink -f "${1:?usage: ab.sh BUILD_A BUILD_B [ROUNDS] [REQUESTS]}")
b=$(readlink -f "${2:?usage: ab.sh BUILD_A BUILD_B [ROUNDS] [REQUESTS]}")
rounds=${3:-3}
requests=${4:-200000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for build in "$a" "$b"; do
    for program in app/hooktrail bench/hooktrail-historybench bench/hooktrail-fill; do
        [[ -x "$build/$program" ]] || { echo "ab: $build/$program is missing (build it first)" >&2; exit 2; }
    done
done
command -v valgrind >/dev/null || { echo "ab: valgrind is not installed (scripts/install-deps.sh bench)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "ab: python3 is not installed (scripts/install-deps.sh bench)" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.3f", (x > 0 ? y / x : 0) }'; }
order() { if (( $1 % 2 )); then echo "A B"; else echo "B A"; fi; }
build_of() { [[ $1 == A ]] && echo "$a" || echo "$b"; }

echo "bench/ab: A = $a, B = $b; $rounds rounds, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)"

# Ingest: the 300-byte row of bench/ingest, one round of it per build per turn.
for round in $(seq "$rounds"); do
    for which in $(order "$round"); do
        ROUNDS=1 "$here/ingest/run.sh" "$(build_of "$which")/app/hooktrail" 5 64 > "$work/ingest-$which-$round.txt" 2>&1 \
            || { cat "$work/ingest-$which-$round.txt" >&2; exit 1; }
        awk '$1 == "300B" { print $2 }' "$work/ingest-$which-$round.txt" >> "$work/ingest-$which"
    done
done
ingest_a=$(median < "$work/ingest-A")
ingest_b=$(median < "$work/ingest-B")
printf '%-52s %12s %12s %8s\n' "figure" "A" "B" "B/A"
printf '%-52s %12s %12s %8s\n' "ingest 300 B, req/s (median)" "$ingest_a" "$ingest_b" "$(ratio "$ingest_a" "$ingest_b")"

# History: one log, filled once by A's filler, read by both in turns.
data="$work/history"
"$a/bench/hooktrail-fill" "$data" 100 "$requests" > /dev/null 2>&1
for round in $(seq "$rounds"); do
    for which in $(order "$round"); do
        "$(build_of "$which")/bench/hooktrail-historybench" "$data" 3 2> /dev/null \
            | awk -F'  +' '/ms median/ { split($2, t, " "); print $1 "\t" t[1] }' >> "$work/history-$which"
    done
done
cut -f1 "$work/history-A" | awk '!seen[$0]++' | while IFS= read -r name; do
    ma=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$work/history-A" | median)
    mb=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$work/history-B" | median)
    printf '%-52s %12s %12s %8s\n' "history: ${name:0:43}, ms" "$ma" "$mb" "$(ratio "$ma" "$mb")"
done

# Instructions: one pass of the history queries on a 20,000-request log, under callgrind.
small="$work/small"
"$a/bench/hooktrail-fill" "$small" 10 20000 > /dev/null 2>&1
for which in A B; do
    # Each on its own copy: the first reader of a log fills its search index.
    rm -rf "$small-run" && cp -r "$small" "$small-run"
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind-$which" \
        "$(build_of "$which")/bench/hooktrail-historybench" "$small-run" 1 > /dev/null 2>&1
    awk '/^summary:/ { print $2 }' "$work/callgrind-$which" > "$work/instr-$which"
done
ia=$(cat "$work/instr-A")
ib=$(cat "$work/instr-B")
printf '%-52s %12s %12s %8s\n' "instructions, one history pass (20,000 rows)" "$ia" "$ib" "$(ratio "$ia" "$ib")"

# Instructions per request: `hooktrail serve` under callgrind takes 2,000 300-byte requests on
# one keep-alive connection, one after the other, then is asked to stop.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
for which in A B; do
    binary="$(build_of "$which")/app/hooktrail"
    served="$work/served-$which"
    "$binary" webhook add --name ab --data-dir "$served" > "$served.webhook"
    id=$(sed -n 's/.*"id": "\([0-9a-f-]*\)".*/\1/p' "$served.webhook")
    key=$("$binary" key add --name ab --data-dir "$served" 2>/dev/null)
    port=$(free_port)
    : > "$served.log"
    valgrind --tool=callgrind --callgrind-out-file="$work/serve-$which" \
        "$binary" serve --listen "127.0.0.1:$port" --data-dir "$served" > "$served.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do grep -q "receiving on" "$served.log" && break; sleep 0.1; done
    done_requests=$(python3 - "$port" "/v1/data/webhook/$id?api-key=$key" <<'PY'
import http.client, sys
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
body = b'{"event":"order.created","id":12345,"data":"' + b"x" * 253 + b'"}'
ok = 0
for _ in range(2000):
    connection.request("POST", sys.argv[2], body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    ok += response.status == 200
print(ok)
PY
)
    kill -INT "$pid"; wait "$pid" || true
    awk -v n="$done_requests" '/^summary:/ { printf "%.0f\n", $2 / n }' "$work/serve-$which"* > "$work/perreq-$which"
done
pa=$(cat "$work/perreq-A")
pb=$(cat "$work/perreq-B")
printf '%-52s %12s %12s %8s\n' "instructions per request, serve (2,000 on 1 conn)" "$pa" "$pb" "$(ratio "$pa" "$pb")"

#!/usr/bin/env bash
# bench/ingest, PostgreSQL mode: durable ingest of 300-byte JSON requests by one receiver on
# SQLite, one receiver on a local PostgreSQL, and two receivers sharing that PostgreSQL, driven
# by wrk in the same run (alternating, ROUNDS times). Prints requests/s and p99 for each, and
# checks afterwards that the log holds at least every 2xx wrk counted.
# The PostgreSQL server is a throw-away one (scripts/pg-test-cluster.sh), with fsync on.
# Usage: [ROUNDS=3] bench/ingest/postgres.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]
set -euo pipefail
binary=$(readlink -f "${1:?usage: postgres.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]}")
seconds=${2:-10}
connections=${3:-64}
rounds=${ROUNDS:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
cluster=$(mktemp -d /tmp/hooktrail-pg.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    "$root/scripts/pg-test-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "bench: wrk is not installed (scripts/install-deps.sh bench)" >&2; exit 1; }

url=$("$root/scripts/pg-test-cluster.sh" start "$cluster")

# wrk --latency output → "rps p99_ms 2xx"
parse_wrk() {
    awk '
        function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
        /Requests\/sec/ { rps = $2 }
        $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
        / requests in / { total = $1 }
        /Non-2xx/ { bad = $5 }
        END { printf "%.0f %.2f %d\n", rps, p99, total - bad }' "$1"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# A webhook and a key in DATABASE → the endpoint's path with the key.
provision() {
    local id key
    id=$("$binary" --data-dir "$work/provision" --database "$1" webhook add --name bench | sed -n 's/.*"id": "\([0-9a-f-]*\)".*/\1/p')
    key=$("$binary" --data-dir "$work/provision" --database "$1" key add --name bench 2>/dev/null)
    [[ -n "$id" && -n "$key" ]] || { echo "bench: cannot provision $1" >&2; exit 1; }
    echo "/v1/data/webhook/$id?api-key=$key"
}
# A receiver: DATA_DIR DATABASE NAME PATH → its endpoint URL.
start_receiver() {
    local dir=$1 database=$2 name=$3 path=$4
    "$binary" --data-dir "$dir" --database "$database" serve --listen 127.0.0.1:0 > "$work/$name.log" 2>&1 &
    pids+=("$!")
    local port=""
    for _ in $(seq 100); do
        port=$(sed -n 's/.*receiving on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/$name.log")
        [[ -n "$port" ]] && break
        sleep 0.1
    done
    [[ -n "$port" ]] || { echo "bench: receiver $name did not start" >&2; cat "$work/$name.log" >&2; exit 1; }
    echo "http://127.0.0.1:$port$path"
}

sqlite_path=$(provision "$work/sqlite/hooktrail.db")
pg_path=$(provision "$url")
sqlite_url=$(start_receiver "$work/sqlite" "$work/sqlite/hooktrail.db" sqlite "$sqlite_path")
pg_a=$(start_receiver "$work/pg-a" "$url" pg-a "$pg_path")
pg_b=$(start_receiver "$work/pg-b" "$url" pg-b "$pg_path")

run_wrk() { # OUT URL CONNECTIONS
    BODY_BYTES=300 wrk -t2 -c"$3" -d"${seconds}s" --latency -s "$here/post.lua" "$2" > "$1"
}
sqlite_runs=() one_runs=() two_runs=()
acknowledged_pg=0
for round in $(seq "$rounds"); do
    run_wrk "$work/sqlite-$round.txt" "$sqlite_url" "$connections"
    sqlite_runs+=("$(parse_wrk "$work/sqlite-$round.txt")")
    run_wrk "$work/one-$round.txt" "$pg_a" "$connections"
    one_runs+=("$(parse_wrk "$work/one-$round.txt")")
    # Two receivers, each with half the connections, at the same time.
    run_wrk "$work/two-a-$round.txt" "$pg_a" $(( connections / 2 )) &
    run_wrk "$work/two-b-$round.txt" "$pg_b" $(( connections / 2 ))
    wait %1
    read -r ra pa oka < <(parse_wrk "$work/two-a-$round.txt")
    read -r rb pb okb < <(parse_wrk "$work/two-b-$round.txt")
    two_runs+=("$(( ra + rb )) $(awk -v a="$pa" -v b="$pb" 'BEGIN { print (a > b ? a : b) }') $(( oka + okb ))")
    acknowledged_pg=$(( acknowledged_pg + $(awk '{print $3}' <<<"${one_runs[-1]}") + oka + okb ))
done
logged_pg=$(psql "$url" -Atc "SELECT COUNT(*) FROM requests WHERE status BETWEEN 200 AND 299") || logged_pg="?"

echo "bench/ingest (PostgreSQL mode): 300-byte JSON, wrk -t2 -c$connections -d${seconds}s, $rounds rounds, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf "%-38s %10s %9s   %s\n" setup req/s p99_ms "rounds (req/s p99)"
row() {
    local label=$1; shift
    printf "%-38s %10s %9s   %s\n" "$label" "$(printf '%s\n' "$@" | awk '{print $1}' | median)" \
        "$(printf '%s\n' "$@" | awk '{print $2}' | median)" "$(printf '%s\n' "$@" | awk '{printf "%s %s; ", $1, $2}')"
}
row "one receiver, SQLite" "${sqlite_runs[@]}"
row "one receiver, PostgreSQL" "${one_runs[@]}"
row "two receivers, one PostgreSQL (sum)" "${two_runs[@]}"
echo "PostgreSQL: $acknowledged_pg 2xx counted by wrk, $logged_pg accepted rows in the log (at least as many: wrk stops without reading the last answers)"

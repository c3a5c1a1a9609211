#!/usr/bin/env bash
# bench/startup: time from process start to the console's main window shown, with 100
# webhooks and 1,000,000 logged requests in the store (built once, then reused).
# Usage: bench/startup/run.sh BUILD_DIR [RUNS] [REQUESTS]
set -euo pipefail
build=$(readlink -f "${1:?usage: run.sh BUILD_DIR [RUNS] [REQUESTS]}")
runs=${2:-7}
requests=${3:-1000000}
data=${HOOKTRAIL_BENCH_DATA:-/tmp/hooktrail-bench-startup-$requests}
platform=${QT_QPA_PLATFORM:-offscreen}

if [[ ! -f "$data/hooktrail.db" ]]; then
    echo "filling $data with 100 webhooks and $requests requests (once)..."
    "$build/bench/hooktrail-fill" "$data" 100 "$requests"
fi
echo "bench/startup: $(du -sh "$data" | cut -f1) data folder, platform $platform, $runs runs"
times=()
for i in $(seq "$runs"); do
    start=$(date +%s%3N)
    line=$(QT_QPA_PLATFORM=$platform HOOKTRAIL_STARTUP_PROBE=1 "$build/app/hooktrail" --data-dir "$data" 2>/dev/null \
           | grep -m1 startup-probe || true)
    [[ -n "$line" ]] || { echo "bench/startup: the console did not report its window" >&2; exit 1; }
    shown=${line##* }
    times+=($(( shown - start )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "start to window shown (ms): $(echo "$sorted" | tr '\n' ' ')"
echo "median: ${median} ms (target <= 500 ms)"

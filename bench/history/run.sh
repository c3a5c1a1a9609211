#!/usr/bin/env bash
# bench/history: the history's queries on a 1,000,000-request log through the console's Store:
# pages, filters, search, counts, histograms and a 100,000-row HAR export, in ms; then the
# console's resident memory with the History page open (hooktrail-consolememory).
# Usage: bench/history/run.sh BUILD_DIR [RUNS] [REQUESTS]
# The log is built once with hooktrail-fill, then reused (HOOKTRAIL_BENCH_DATA to pick the folder).
set -euo pipefail
build=$(readlink -f "${1:?usage: run.sh BUILD_DIR [RUNS] [REQUESTS]}")
runs=${2:-5}
requests=${3:-1000000}
data=${HOOKTRAIL_BENCH_DATA:-/tmp/hooktrail-bench-history-$requests}

if [[ ! -f "$data/hooktrail.db" ]]; then
    echo "filling $data with 100 webhooks and $requests requests (once, a few minutes)..."
    "$build/bench/hooktrail-fill" "$data" 100 "$requests"
fi
echo "bench/history: $(du -sh "$data" | cut -f1) data folder, $(nproc) cores"
"$build/bench/hooktrail-historybench" "$data" "$runs"
echo
echo "console memory with the History page open (target <= 250 MB):"
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$build/bench/hooktrail-consolememory" "$data" 50

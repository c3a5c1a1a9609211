#!/usr/bin/env bash
# bench/history/httpburst.sh: a full-speed burst of ~2 KiB JSON posts over HTTP (wrk running
# burst.lua, every body different, against `hooktrail serve`), then one request with a token of
# its own, then `hooktrail log --search` for it at once: rows found, time taken, rows the
# index was behind.
# Usage: bench/history/httpburst.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]
set -euo pipefail
binary=$(readlink -f "${1:?usage: httpburst.sh PATH/TO/hooktrail [SECONDS] [CONNECTIONS]}")
seconds=${2:-20}
connections=${3:-64}
work=$(mktemp -d)
serve_pid=
cleanup() { [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
data="$work/data"
"$binary" webhook add --name burst --data-dir "$data" > "$work/webhook.json"
webhook_id=$(sed -n 's/.*"id": "\([0-9a-f-]*\)".*/\1/p' "$work/webhook.json")
key=$("$binary" key add --name burst --data-dir "$data" 2>/dev/null)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$binary" serve --listen "127.0.0.1:$port" --data-dir "$data" > "$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 50); do grep -q "receiving on" "$work/serve.log" && break; sleep 0.1; done
url="http://127.0.0.1:$port/v1/data/webhook/$webhook_id?api-key=$key"
wrk -t2 -c"$connections" -d"${seconds}s" -s "$(dirname "$0")/burst.lua" "$url" | grep -E "Requests/sec|requests in|Non-2xx" || true
token="needle-$RANDOM$RANDOM"
curl -s -o /dev/null -w "the next request: HTTP %{http_code}\n" -H 'Content-Type: application/json' \
    --data "{\"note\":\"$token\"}" "$url"
db="$data/hooktrail.db"
start=$(date +%s%N)
found=$("$binary" log --data-dir "$data" --search "$token" --format jsonl | wc -l)
end=$(date +%s%N)
echo "search for its token right after: $found found (want 1) in $(( (end - start) / 1000000 )) ms (the CLI, opening the store included)"
python3 - "$db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
newest = db.execute("SELECT MAX(id) FROM requests").fetchone()[0]
mark = int(db.execute("SELECT value FROM meta WHERE key = 'search_indexed_id'").fetchone()[0])
print(f"rows in the log: {newest}, behind the index at that moment (a little later): {newest - mark}")
PY

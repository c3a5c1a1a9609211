#!/usr/bin/env bash
# Screenshots of the real console window, every page, at 1280×800 and 1920×1080, in English and
# French, under Xvfb. The history they show is made for the purpose: a few webhooks and keys,
# then real requests sent to a real receiver (accepted and rejected for several reasons).
# Usage: scripts/screens.sh [BUILD_DIR] [OUT_DIR]   (defaults: build, docs/screens)
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
out=${2:-docs/screens}
scripts/install-deps.sh build screens
[[ -x "$build/app/hooktrail" ]] || { echo "screens: no $build/app/hooktrail; build first (./dev build)" >&2; exit 2; }
mkdir -p "$out"

work=$(mktemp -d /tmp/hooktrail-screens.XXXXXX)
pids=()
app=""
cleanup() {
    for pid in "${pids[@]}" $app; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

data=$work/data
cli() { "$build/app/hooktrail-server" --data-dir "$data" "$@"; }
# A free loopback port for the receiver, asked of the kernel.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# The webhooks and a key.
mkdir -p "$data"
add() { cli webhook add "$@" | sed -n 's/^ *"id": "\(.*\)",$/\1/p'; }
ids=()
ids+=("$(add --name "Orders (Shopify)" --description "Order and fulfilment events" \
    --method POST --header "X-Shop-Domain=demo.example")")
ids+=("$(add --name "Payments" --description "Payment intents and refunds" --method POST --method PUT)")
ids+=("$(add --name "CRM contacts" --description "Contact changes from the CRM" --method POST \
    --ip 127.0.0.1 --ip 10.0.0.0/8)")
ids+=("$(add --name "Legacy newsletter" --description "Kept for the archive")")
cli webhook disable "${ids[3]}" >/dev/null
key=$(cli key add --name "Screenshots" 2>/dev/null)

# Destinations: the orders go on to a local application answering 200, the payments to one that
# is down, so the history shows deliveries done and deliveries being retried.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
app_port=$(free_port)
python3 - "$app_port" <<'PY' &
import http.server, sys
class Application(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        body = b'{"received":true}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Application).serve_forever()
PY
app=$!
cli destination add --webhook "${ids[0]}" --name "Order service" \
    --url "http://127.0.0.1:$app_port/hooks/orders" >/dev/null
cli destination add --webhook "${ids[1]}" --name "Billing" \
    --url "http://127.0.0.1:$(free_port)/hooks/payments" >/dev/null

# Real requests, through a real receiver.
"$build/app/hooktrail-server" --data-dir "$data" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
serve=$!
pids+=("$serve")
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
base="http://127.0.0.1:$port/v1/data/webhook"
send() { curl -s -o /dev/null "$@" || true; }
for i in $(seq 1 12); do
    send -X POST -H 'Content-Type: application/json' -H 'X-Shop-Domain: demo.example' \
        --data "{\"id\":$((1000 + i)),\"event\":\"orders/create\",\"total\":\"$((i * 7)).90\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"TEE-$i\",\"qty\":$i}]}" \
        "$base/${ids[0]}?api-key=$key"
done
for i in $(seq 1 6); do
    send -X POST -H 'Content-Type: application/json' \
        --data "{\"type\":\"payment_intent.succeeded\",\"amount\":$((i * 1250)),\"customer\":\"cus_$i\"}" \
        "$base/${ids[1]}?api-key=$key"
done
send -X POST -H 'Content-Type: application/json' --data '{"type":"refund"}' "$base/${ids[1]}?api-key=wrong-key"
send -X POST -H 'Content-Type: application/json' --data '{"type":"refund"}' "$base/${ids[1]}"
send -X DELETE "$base/${ids[1]}?api-key=$key"
send -X POST -H 'Content-Type: application/json' --data '{"email": "ada@example.com",' "$base/${ids[2]}?api-key=$key"
send -X POST -H 'Content-Type: application/xml' --data '<contact><email>grace@example.com</email></contact>' "$base/${ids[2]}?api-key=$key"
send -X POST -H 'Content-Type: text/plain' --data 'hello' "$base/${ids[0]}?api-key=$key"
send -X POST -H 'Content-Type: application/json' --data '{}' "$base/${ids[3]}?api-key=$key"
send -X POST -H 'Content-Type: application/json' --data '{"id":1}' "$base/${ids[0]}?api-key=$key"
send "http://127.0.0.1:$port/favicon.ico"
sleep 2 # the deliveries made
kill "$serve"; wait "$serve" 2>/dev/null || true

shoot() { # LANGUAGE WIDTH HEIGHT
    local language=$1 width=$2 height=$3 display=":$((90 + RANDOM % 100))"
    Xvfb "$display" -screen 0 "${width}x${height}x24" -nolisten tcp >/dev/null 2>&1 &
    local xvfb=$!
    pids+=("$xvfb")
    sleep 1
    # Each run starts from the same window state: the page, the split and the size are the
    # defaults a new user sees, at the size of the screen.
    local listen
    listen=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat >"$data/hooktrail.ini" <<EOF
[ui]
language=$language
[receiver]
address=127.0.0.1
port=$listen
EOF
    DISPLAY=$display "$build/app/hooktrail" --data-dir "$data" >"$work/console.log" 2>&1 &
    local console=$!
    pids+=("$console")
    local window
    window=$(DISPLAY=$display xdotool search --sync --onlyvisible --name Hooktrail | head -1)
    DISPLAY=$display xdotool windowmove "$window" 0 0 windowsize "$window" "$width" "$height"
    sleep 2
    local page name
    for page in 1 2 3; do
        name=(x connections history settings)
        # No window manager gives the window the keyboard, so the page is chosen with the
        # mouse, on its entry in the sidebar.
        DISPLAY=$display xdotool mousemove --sync 60 $((15 + 32 * (page - 1))) click 1
        sleep 2
        if [[ $page == 1 ]]; then
            # The first webhook, so the detail panel beside the list shows its endpoint.
            DISPLAY=$display xdotool mousemove --sync 300 107 click 1
            sleep 1
        fi
        if [[ $page == 2 ]]; then
            # The newest request, so the detail shows: the first row, under the filters.
            DISPLAY=$display xdotool mousemove --sync 270 252 click 1
            sleep 1.5
        fi
        DISPLAY=$display import -window root "$out/${name[$page]}-${width}-${language}.png"
    done
    kill "$console" "$xvfb" 2>/dev/null || true
    wait "$console" "$xvfb" 2>/dev/null || true
    pids=()
}

for language in en fr; do
    shoot "$language" 1280 800
    shoot "$language" 1920 1080
done
ls "$out"

#!/usr/bin/env bash
# Inside a pristine root (scripts/check-packages.sh --install): the packages in /root/incoming
# installed with apt-get as a user would, then the service's binary run as its user.
#   package-smoke.sh previous   install previous-*.deb, take one request
#   package-smoke.sh upgrade    upgrade to the other .deb files; the request is still there, and
#                               the webhook and key made before take another
set -euo pipefail
incoming=/root/incoming
data=/var/lib/hooktrail
as_service() { setpriv --reuid=hooktrail --regid=hooktrail --init-groups -- "$@"; }
fail() { echo "package-smoke: $*" >&2; exit 1; }

# A request over bash's own /dev/tcp: the root has no curl, and needs none.
post() {
    local port=$1 target=$2 body='{"smoke":true}' answer
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
        "$target" "${#body}" "$body" >&3
    answer=$(head -1 <&3)
    exec 3<&-
    echo "${answer%$'\r'}"
}

# hooktrail-server serve as the service runs it, one request, then SIGTERM.
serve_once() {
    local target=$1 log port status
    log=$(mktemp)
    # exec: $! must be the receiver itself, not a subshell around it, for the SIGTERM to reach it.
    (exec setpriv --reuid=hooktrail --regid=hooktrail --init-groups -- \
        hooktrail-server serve --data-dir "$data" --listen 127.0.0.1:0 >"$log" 2>&1) &
    local pid=$!
    for _ in $(seq 100); do grep -q 'receiving on' "$log" && break; sleep 0.1; done
    port=$(sed -n 's/.*receiving on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
    [[ -n "$port" ]] || { cat "$log" >&2; fail "serve did not start"; }
    status=$(post "$port" "$target")
    kill -TERM "$pid"
    local code=0
    wait "$pid" || code=$?
    [[ $code -eq 0 ]] || { cat "$log" >&2; fail "serve ended with status $code on SIGTERM"; }
    [[ "$status" == "HTTP/1.1 200 OK" ]] || fail "the receiver answered '$status'"
    echo "package-smoke: serve as hooktrail answered $status and stopped on SIGTERM"
}

case "${1:-}" in
    previous)
        apt-get update -qq
        apt-get install -y -qq "$incoming"/previous-*.deb >/dev/null
        hooktrail-server --version
        hooktrail --version
        getent passwd hooktrail >/dev/null || fail "no hooktrail user"
        [[ "$(stat -c '%U %a' "$data")" == "hooktrail 700" ]] || fail "$data is $(stat -c '%U %a' "$data")"
        [[ -f /etc/hooktrail/hooktrail-server.conf && -f /lib/systemd/system/hooktrail-server.service ]] \
            || fail "the service's files are missing"
        webhook=$(as_service hooktrail-server webhook add --name smoke --data-dir "$data" | sed -n 's/.*"id": "\([^"]*\)".*/\1/p')
        key=$(as_service hooktrail-server key add --name smoke --data-dir "$data" 2>/dev/null)
        echo "/v1/data/webhook/$webhook?api-key=$key" > /root/smoke-target
        serve_once "$(cat /root/smoke-target)"
        echo "# kept by the upgrade" >> /etc/hooktrail/hooktrail-server.conf
        ;;
    upgrade)
        apt-get install -y -qq $(ls "$incoming"/*.deb | grep -v /previous-) >/dev/null
        version=$(dpkg-query -W -f '${Version}' hooktrail-server)
        [[ "$version" != 0.0.0~previous ]] || fail "hooktrail-server was not upgraded"
        grep -q '^# kept by the upgrade' /etc/hooktrail/hooktrail-server.conf || fail "the upgrade replaced the edited conffile"
        logged=$(as_service hooktrail-server log --data-dir "$data" --format jsonl)
        grep -q '"status":200' <<<"$logged" || fail "the request taken before the upgrade is gone: $logged"
        serve_once "$(cat /root/smoke-target)" # the webhook and key made before the upgrade
        echo "package-smoke: upgraded to $version; the history kept $(grep -c . <<<"$logged") request(s)"
        ;;
    *) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

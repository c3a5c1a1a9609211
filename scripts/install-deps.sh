#!/usr/bin/env bash
# Installs what Hooktrail needs to build, test or benchmark, from Debian's archive.
# Usage: scripts/install-deps.sh [build|test|fuzz|bench|postgres|lint|screens|package]...  (build is always included)
set -euo pipefail

node_packages=0
packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev
    libqt6sql6-sqlite libqt6sql6-psql qt6-l10n-tools qt6-tools-dev qt6-tools-dev-tools
    libgl-dev libxkbcommon-dev libsqlite3-dev
    libssl-dev # core/tls makes self-signed certificates with libcrypto
    qt6-translations-l10n # Qt's own strings in French ("Annuler"), loaded by ui/languages.cpp
)
for group in "$@"; do
    case "$group" in
        build) ;;
        test) packages+=(procps curl python3) # curl: the tests run the Copy as curl commands they copy; python3: tst_tls's client
            # Node and npm: tst_signature signs with the providers' own libraries (tests/signing),
            # the API's tests check it with independent clients (tests/api)
            command -v node >/dev/null 2>&1 || packages+=(nodejs)
            command -v npm >/dev/null 2>&1 || packages+=(npm)
            node_packages=1 ;;
        fuzz) packages+=(clang libclang-rt-14-dev) ;; # libclang-rt-14-dev holds libFuzzer
        bench) packages+=(wrk hyperfine nginx-light procps curl valgrind python3) ;; # bench/ab.sh: valgrind counts instructions, python3 sends
        lint) packages+=(clang-format git) ;; # ./dev format: the files git tracks, against .clang-format
        screens) packages+=(xvfb xauth imagemagick xdotool python3 curl fonts-dejavu-core) ;; # scripts/screens.sh: the real window under Xvfb
        package) packages+=(dpkg-dev file lintian appstream desktop-file-utils) ;; # ./dev package, scripts/check-packages.sh
        postgres) packages+=(postgresql libqt6sql6-psql) ;; # a server for scripts/pg-test-cluster.sh, Qt's driver
        *) echo "install-deps: unknown group '$group' (build, test, fuzz, bench, postgres, lint, screens)" >&2; exit 2 ;;
    esac
done

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "installed" ]] || missing+=("$package")
done

# The npm packages the tests use, each folder's pinned by its package-lock.json, installed again
# only when that lock changed: tests/signing (the providers' signing libraries) and tests/api (an
# OpenAPI validator, a Prometheus text parser and an SSE client for the local API's tests).
install_node_packages() {
    [[ $node_packages -eq 1 ]] || return 0
    local root dir
    root="$(cd "$(dirname "$0")/.." && pwd)"
    for dir in "$root/tests/signing" "$root/tests/api"; do
        if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
            echo "Installing the npm packages for the tests (npm ci in tests/${dir##*/})"
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        fi
    done
}

if [[ ${#missing[@]} -eq 0 ]]; then
    install_node_packages
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-deps: these packages are missing and installing them needs root or sudo:" >&2
    echo "  ${missing[*]}" >&2
    exit 1
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_node_packages

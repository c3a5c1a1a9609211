#!/usr/bin/env bash
# Checks the Debian packages `./dev package` builds (README "Installing the packages").
#
#   scripts/check-packages.sh [--install] [DIR]
#
# DIR holds hooktrail_*.deb and hooktrail-server_*.deb (default: build-package/packages, built
# first when empty). Always: lintian reports no error on either package; appstreamcli validates
# the console's metainfo and desktop-file-validate its desktop file, as the package holds them.
# With --install (root): in a pristine Debian 12 root (scripts/fresh-root.sh), apt-get installs
# the previous build's packages (these, renumbered one version down, so dpkg runs a real
# upgrade), hooktrail-server serves a request as the hooktrail user from /var/lib/hooktrail,
# then apt-get upgrades to these and the request is still there (scripts/package-smoke.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

install=0
if [[ "${1:-}" == --install ]]; then install=1; shift; fi
[[ $# -le 1 ]] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
dir=${1:-build-package/packages}
scripts/install-deps.sh package >/dev/null
if ! compgen -G "$dir/hooktrail_*.deb" >/dev/null || ! compgen -G "$dir/hooktrail-server_*.deb" >/dev/null; then
    [[ $# -eq 0 ]] || { echo "check-packages: no hooktrail and hooktrail-server packages in $dir" >&2; exit 1; }
    ./dev package >/dev/null
fi
console=$(ls -1 "$dir"/hooktrail_*.deb | tail -1)
server=$(ls -1 "$dir"/hooktrail-server_*.deb | tail -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== lintian $(basename "$console") $(basename "$server")"
lintian --tag-display-limit 0 "$console" "$server" 2>&1 | grep -v 'running with root privileges' | tee "$work/lintian.txt" || true
if grep -q '^E: ' "$work/lintian.txt"; then
    echo "check-packages: lintian reports errors" >&2
    exit 1
fi

dpkg-deb -x "$console" "$work/console"
echo "== appstreamcli validate"
appstreamcli validate --no-net "$work"/console/usr/share/metainfo/*.metainfo.xml
echo "== desktop-file-validate"
desktop-file-validate "$work"/console/usr/share/applications/*.desktop

if [[ $install -eq 1 ]]; then
    # The previous build: the same packages one version down, so dpkg upgrades for real
    # (maintainer scripts with the old version, the conffile kept, the data folder kept).
    for deb in "$console" "$server"; do
        name=$(dpkg-deb -f "$deb" Package)
        dpkg-deb -R "$deb" "$work/$name"
        sed -i 's/^Version: .*/Version: 0.0.0~previous/' "$work/$name/DEBIAN/control"
        dpkg-deb -b --root-owner-group "$work/$name" "$work/previous-$name.deb" >/dev/null
    done
    scripts/fresh-root.sh --copy "$work/previous-hooktrail.deb" --copy "$work/previous-hooktrail-server.deb" \
        --copy "$console" --copy "$server" \
        'scripts/package-smoke.sh previous' 'scripts/package-smoke.sh upgrade'
fi
echo "check-packages: passed"

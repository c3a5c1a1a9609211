#!/usr/bin/env bash
# Runs commands in a clean clone of this repository (what is committed, nothing else) inside a
# pristine Debian root, as a newcomer on a new machine would: nothing is installed there but
# what the project's own scripts install.
#
#   scripts/fresh-root.sh [--suite bookworm|trixie] [--keep] [--copy FILE]... COMMAND...
#
# e.g.  scripts/fresh-root.sh './dev test'
#       scripts/fresh-root.sh --copy build-package/packages/hooktrail-server_0.1.0_amd64.deb 'apt-get install -y /root/incoming/*.deb'
#       scripts/fresh-root.sh --suite trixie './dev test' 'HOOKTRAIL_STARTUP_PROBE=1 ./dev run'
#
# Each COMMAND runs as root in the clone (/root/hooktrail), in order, with
# QT_QPA_PLATFORM=offscreen; the first that fails stops the run, its last lines are printed and
# its status is the script's. Needs root, git and debootstrap (installed when missing).
#
# The base root (debootstrap --variant=minbase) is made once per suite and kept under
# HOOKTRAIL_FRESH_ROOTS (default /var/cache/hooktrail-fresh-root); each run gets its own copy,
# removed afterwards (--keep leaves it for a look). Downloaded .deb files are shared between
# runs (only the download: every package is still installed by the project's scripts). The
# mounts a run makes are undone on every exit path, and a run left behind by a killed one is
# cleaned up by the next. HOOKTRAIL_FRESH_MIRROR names the Debian mirror (default: the one
# this machine's apt uses).
set -euo pipefail

# All in one function, read whole before it runs: editing this file during a long run cannot
# change what the run does.
main() {

    usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
    die() { echo "fresh-root: $*" >&2; exit 1; }

    suite=bookworm keep=0 copies=()
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --suite) [[ $# -ge 2 ]] || usage; suite=$2; shift 2 ;;
            --keep) keep=1; shift ;;
            --copy) [[ $# -ge 2 && -f $2 ]] || usage; copies+=("$(readlink -f "$2")"); shift 2 ;;
            -h | --help) usage ;;
            --) shift; break ;;
            -*) echo "fresh-root: unknown option '$1'" >&2; usage ;;
            *) break ;;
        esac
    done
    [[ $# -ge 1 ]] || usage
    case "$suite" in bookworm | trixie) ;; *) echo "fresh-root: unknown suite '$suite' (bookworm or trixie)" >&2; exit 2 ;; esac
    [[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot and mount do)"

    project=$(cd "$(dirname "$0")/.." && pwd)
    roots=${HOOKTRAIL_FRESH_ROOTS:-/var/cache/hooktrail-fresh-root}
    base=$roots/$suite-base
    archives=$roots/$suite-archives
    mkdir -p "$roots" "$archives"

    missing=()
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v git >/dev/null || missing+=(git)
    if [[ ${#missing[@]} -gt 0 ]]; then
        echo "fresh-root: installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } ||
            die "could not install ${missing[*]}"
    fi

    # Everything mounted at or below a folder, deepest first.
    mounts_under() {
        awk -v prefix="$1" '$2 == prefix || index($2, prefix "/") == 1 { print $2 }' /proc/self/mounts | sort -r
    }

    # Undoes every mount below a run folder; then, and only then, removes it. rm -rf over a bind
    # mount of /dev would delete the host's device nodes, so a folder that keeps a mount is left.
    discard_run() {
        local dir=$1 point
        for point in $(mounts_under "$dir"); do
            umount "$point" 2>/dev/null || umount -l "$point" 2>/dev/null || true
        done
        if [[ -n "$(mounts_under "$dir")" ]]; then
            echo "fresh-root: $dir still has mounts; not removing it" >&2
            return 1
        fi
        rm -rf --one-file-system "$dir"
    }

    # Runs left by a killed fresh-root (their pid is gone) are cleaned up first.
    for stale in "$roots"/run.*; do
        [[ -d "$stale" ]] || continue
        pid=${stale##*.}
        [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && continue
        echo "fresh-root: cleaning up $stale, left by a run that did not finish"
        discard_run "$stale" || true
    done

    mirror=${HOOKTRAIL_FRESH_MIRROR:-}
    [[ -n $mirror ]] || mirror=$(grep -rhoE '^deb +(\[[^]]*\] +)?https?://[^ ]+/debian/? ' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
        grep -oE 'https?://[^ ]+' | head -1 || true)
    [[ -n $mirror ]] || mirror=$(grep -rhoE '^URIs: +https?://[^ ]+/debian/?$' /etc/apt/sources.list.d/ 2>/dev/null |
        sed 's/^URIs: *//' | head -1 || true)
    [[ -n $mirror ]] || mirror=http://deb.debian.org/debian

    if [[ ! -f $base/.complete ]]; then
        discard_run "$base" 2>/dev/null || rm -rf --one-file-system "$base"
        echo "fresh-root: making a pristine $suite root (once per machine; a few minutes)"
        started=$(date +%s)
        if ! debootstrap --variant=minbase "$suite" "$base" "$mirror" >"$roots/$suite-debootstrap.log" 2>&1; then
            tail -n 20 "$roots/$suite-debootstrap.log" >&2
            discard_run "$base" || true
            die "debootstrap $suite from $mirror failed (the whole log: $roots/$suite-debootstrap.log)"
        fi
        rm -rf "$base"/var/cache/apt/archives/*.deb
        touch "$base/.complete"
        echo "fresh-root: made $base in $(( $(date +%s) - started )) s"
    fi

    run=$roots/run.$$
    cleanup() {
        local status=$?
        trap - EXIT INT TERM HUP
        if [[ $keep == 1 ]]; then
            for point in $(mounts_under "$run"); do umount "$point" 2>/dev/null || umount -l "$point" || true; done
            echo "fresh-root: kept $run" >&2
        else
            discard_run "$run" || status=1
        fi
        exit "$status"
    }
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP

    cp -a "$base" "$run"
    rm -f "$run/.complete"
    mount -t proc proc "$run/proc"
    mount --bind /sys "$run/sys"
    mount --bind /dev "$run/dev"
    mount --bind /dev/pts "$run/dev/pts"
    mount -t tmpfs -o mode=1777 tmpfs "$run/dev/shm" # PostgreSQL's shared memory, this run's alone
    mount --bind "$archives" "$run/var/cache/apt/archives"
    cp /etc/resolv.conf "$run/etc/resolv.conf" 2>/dev/null || true
    # The host's trust too: where HTTPS leaves through a proxy with its own certificate
    # authority, npm in the root (the tests' signing libraries) must trust what the host does.
    # Node reads its own CA list, not the system's, so the host's bundle is named to it.
    ca_env=()
    if [[ -s /etc/ssl/certs/ca-certificates.crt ]]; then
        cp /etc/ssl/certs/ca-certificates.crt "$run/etc/host-ca-certificates.crt"
        ca_env=(NODE_EXTRA_CA_CERTS=/etc/host-ca-certificates.crt)
    fi

    git clone -q "$project" "$run/root/hooktrail" || die "could not clone $project"
    # Files made on the host (packages to install), in /root/incoming.
    if [[ ${#copies[@]} -gt 0 ]]; then
        mkdir -p "$run/root/incoming"
        cp "${copies[@]}" "$run/root/incoming/"
    fi
    echo "fresh-root ($suite): a clean clone of $(git -C "$run/root/hooktrail" log -1 --format='%h %s')"

    for command in "$@"; do
        echo "fresh-root ($suite): $command"
        started=$(date +%s)
        log=$run/root/fresh-root-command.log
        set +e
        chroot "$run" /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive QT_QPA_PLATFORM=offscreen ${CI:+CI=$CI} "${ca_env[@]}" \
            /bin/bash -c "cd /root/hooktrail && $command" </dev/null 2>&1 | tee "$log"
        status=${PIPESTATUS[0]}
        set -e
        if [[ $status -ne 0 ]]; then
            echo "fresh-root ($suite): '$command' failed with status $status after $(( $(date +%s) - started )) s; its last lines:" >&2
            tail -n 40 "$log" | sed 's/^/  | /' >&2
            exit "$status"
        fi
        echo "fresh-root ($suite): '$command' passed in $(( $(date +%s) - started )) s"
    done
    echo "fresh-root ($suite): all commands passed"
}

main "$@"
exit

#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests and CI. Its data, socket, log and port all live under DIR,
# so it never touches a system cluster (/var/lib/postgresql, /var/run/postgresql, port 5432).
#   start DIR    create a cluster in DIR/data, start it on a free port of 127.0.0.1 and create the
#                database hooktrail_test; prints its URL (kept in DIR/url, the port in DIR/port)
#   stop DIR     stop the server and remove DIR; safe to repeat, and after a start that failed
#   status DIR   print the URL and exit 0 if the server accepts connections, else exit 1
#   kill DIR     SIGKILL the server, as a crash would (crash and durability tests)
#   restart DIR  start it again with the same data on the same port (after kill; stops it first if running)
# Usage: scripts/pg-test-cluster.sh start|stop|status|kill|restart DIR
set -euo pipefail

script_dir=$(cd "$(dirname "$0")" && pwd)
lock=$script_dir/$(basename "$0") # flock'ed to take turns at apt-get and useradd
server_account=hooktrail-pg # initdb and postgres refuse to run as root; as root, they run as this user
db_user=hooktrail           # the cluster's superuser: trust authentication, no password
db_name=hooktrail_test
ready_timeout=30            # seconds for the server to accept connections (also crash recovery)
marker=.pg-test-cluster     # says DIR is ours: stop removes no directory that lacks it

die() { echo "pg-test-cluster: $*" >&2; exit 1; }
usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[[ $# -eq 2 && -n "$2" ]] || usage
command=$1
case "$command" in start | stop | status | kill | restart) ;; *) usage ;; esac

# The caller's PGHOST, PGPORT, PGUSER, PGSSLMODE, PGDATA... must not steer our own client and server calls.
for variable in $(compgen -e -X '!PG*'); do unset "$variable"; done

# Absolute and without symlinks: the socket directory must be absolute, and this cluster's processes
# are found by their working directory (DIR/data), which the kernel reports resolved.
dir=$(realpath -m -- "$2")
[[ "$dir" =~ ^/[A-Za-z0-9_.+/-]+$ && "$dir" != / ]] ||
    die "DIR '$dir' may hold only letters, digits and _ . + - / (it is written into postgresql.conf)"
data=$dir/data
log=$dir/postgres.log

# The newest /usr/lib/postgresql/VERSION/bin with a server in it (Debian's layout; 15 on Debian 12).
newest_bindir() {
    local candidate found=""
    for candidate in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
        [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" && -x "$candidate/postgres" &&
            -x "$candidate/pg_isready" && -x "$candidate/createdb" ]] && found=$candidate
    done
    [[ -n "$found" ]] && echo "$found"
}

# An existing cluster needs the binaries of its own major version, not the newest installed.
use_cluster_bindir() {
    [[ -r "$data/PG_VERSION" ]] || return 1
    bindir=/usr/lib/postgresql/$(<"$data/PG_VERSION")/bin
    [[ -x "$bindir/pg_ctl" && -x "$bindir/pg_isready" ]]
}

# Root runs the server's tools as the account that owns the data; anyone else runs them as themselves.
# From / because the account may not be allowed into the caller's working directory.
as_server() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u "$server_user" -- "$@")
    else
        "$@"
    fi
}

# A live process (not a zombie) of this cluster: a postgres whose working directory is DIR/data.
is_cluster_process() {
    local comm
    { read -r comm <"/proc/$1/comm"; } 2>/dev/null || return 1
    [[ "$comm" == postgres && "$(readlink "/proc/$1/cwd" 2>/dev/null)" == "$data" ]]
}

cluster_pids() {
    local proc
    for proc in /proc/[0-9]*; do
        if is_cluster_process "${proc#/proc/}"; then echo "${proc#/proc/}"; fi
    done
}

# The postmaster's pid, from postmaster.pid, if it is running.
postmaster_pid() {
    local pid
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] && is_cluster_process "$pid" && echo "$pid"
}

# SIGKILL the postmaster, then every process of the cluster left: backends would notice the
# postmaster's death only at their next wait, and until they are gone no new server may start here.
kill_cluster() {
    local pid pids deadline=$((SECONDS + 10))
    if pid=$(postmaster_pid); then kill -KILL "$pid" 2>/dev/null || true; fi
    while pids=$(cluster_pids) && [[ -n "$pids" ]]; do
        ((SECONDS < deadline)) || die "processes of $data survive SIGKILL: $pids"
        # shellcheck disable=SC2086 # one pid a word
        kill -KILL $pids 2>/dev/null || true
        sleep 0.1
    done
}

# A killed server leaves its small SysV shared memory segment (key and id on line 7 of
# postmaster.pid). A restart reclaims it, but once DIR is gone nothing would, and every crash test
# would leak one: remove it when it is that segment and nothing is attached to it.
remove_stale_shm() {
    local key shmid
    read -r key shmid < <(sed -n 7p "$data/postmaster.pid" 2>/dev/null) || return 0
    [[ "$key" =~ ^[0-9]+$ && "$shmid" =~ ^[0-9]+$ ]] || return 0
    if awk -v key="$key" -v id="$shmid" '$1 == key && $2 == id && $7 == 0 { found = 1 } END { exit !found }' \
        /proc/sysvipc/shm 2>/dev/null; then
        ipcrm -m "$shmid" 2>/dev/null || true
    fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A random port of 20000-60000 that nothing listens on now; bash's /dev/tcp, as python or ss may be missing.
pick_port() {
    local attempt port
    for attempt in $(seq 100); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40001))
        port_in_use "$port" || { echo "$port"; return 0; }
    done
    return 1
}

wait_ready() {
    local deadline=$((SECONDS + ready_timeout))
    until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$db_user" -d postgres; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# pg_ctl -w returns once the server is ready or has died; -l sends the server's log to DIR/postgres.log.
# pg_ctl's own words go to DIR/pg_ctl.log so that stdout carries nothing but the URL.
start_server() {
    as_server "$bindir/pg_ctl" start -D "$data" -l "$log" -w -t "$ready_timeout" -s >"$dir/pg_ctl.log" 2>&1
}

write_config() {
    as_server tee "$data/hooktrail-test.conf" >/dev/null <<EOF
# Written by scripts/pg-test-cluster.sh and included at the end of postgresql.conf.
listen_addresses = '127.0.0.1'       # TCP on loopback only
port = $port
unix_socket_directories = '$dir'     # not /var/run/postgresql, which is a system cluster's (or missing)
fsync = on                           # durability tests depend on it: never off for speed
max_connections = 200
logging_collector = off              # the log is stderr, which pg_ctl -l sends to postgres.log
EOF
}

# On a failed start, leave nothing running (it would hold its port and shared memory) but leave DIR
# and its logs for a look; stop removes them.
on_start_exit() {
    local status=$?
    ((status == 0)) && return
    if postmaster_pid >/dev/null; then
        as_server "$bindir/pg_ctl" stop -D "$data" -m immediate -s >/dev/null 2>&1 || true
    fi
    kill_cluster
    if [[ -s "$log" ]]; then
        echo "pg-test-cluster: the end of $log:" >&2
        tail -n 15 "$log" >&2
    fi
    echo "pg-test-cluster: start failed; 'scripts/pg-test-cluster.sh stop $dir' removes what it left" >&2
}

start() {
    # unix socket paths are limited to 107 bytes, and DIR/.s.PGSQL.PORT must fit.
    ((${#dir} <= 90)) || die "DIR '$dir' is too long for a unix socket path (at most 90 characters)"
    if [[ -e "$dir" ]]; then
        [[ -d "$dir" ]] || die "$dir exists and is not a directory"
        [[ -z "$(ls -A "$dir")" ]] || die "$dir is not empty: stop it first (scripts/pg-test-cluster.sh stop $dir) or pick another"
    fi

    # Two starts on a fresh machine would both run apt-get, and one would fail on dpkg's lock:
    # they take turns. install-deps.sh talks on stdout, which is the URL's.
    if ! bindir=$(newest_bindir); then
        echo "pg-test-cluster: no PostgreSQL server in /usr/lib/postgresql/*/bin; installing it" >&2
        flock "$lock" "$script_dir/install-deps.sh" postgres >&2 ||
            die "PostgreSQL is missing and installing it failed (scripts/install-deps.sh postgres)"
        bindir=$(newest_bindir) || die "still no PostgreSQL server in /usr/lib/postgresql/*/bin after installing it"
    fi

    mkdir -p "$dir"
    : >"$dir/$marker"
    trap on_start_exit EXIT
    if [[ $EUID -eq 0 ]]; then
        server_user=$server_account
        # Idempotent; under the lock so that two starts do not both run useradd.
        # shellcheck disable=SC2016 # $1 is for sh
        flock "$lock" sh -c 'id -u "$1" >/dev/null 2>&1 ||
            useradd --system --no-create-home --shell /usr/sbin/nologin "$1"' sh "$server_account" ||
            die "could not create the system user $server_account"
        chown "$server_account:" "$dir" "$dir/$marker"
        as_server test -w "$dir" -a -x "$dir" ||
            die "user $server_account cannot use $dir (is a parent directory closed to others?): pick one under /tmp"
    else
        server_user=$(id -un)
    fi

    # --auth=trust makes pg_hba.conf trust local sockets, 127.0.0.1/32 and ::1/128 (nothing else listens).
    local locale=(--no-locale)
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=(--locale=C.UTF-8); fi
    as_server "$bindir/initdb" -D "$data" -U "$db_user" --auth=trust -E UTF8 "${locale[@]}" \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    echo "include = 'hooktrail-test.conf'" | as_server tee -a "$data/postgresql.conf" >/dev/null

    # The port was free when picked, but another start (or anything else) may bind it before the
    # server does; that shows in the log as "Address already in use" and is worth another port.
    local attempt log_size
    for attempt in 1 2 3 4 5; do
        port=$(pick_port) || die "found no free port in 20000-60000"
        write_config
        echo "$port" >"$dir/port"
        log_size=$(stat -c %s "$log" 2>/dev/null || echo 0)
        start_server && break
        if ((attempt < 5)) && tail -c +"$((log_size + 1))" "$log" 2>/dev/null | grep -q 'Address already in use'; then
            echo "pg-test-cluster: port $port was taken meanwhile; trying another" >&2
            continue
        fi
        cat "$dir/pg_ctl.log" >&2
        die "the server did not start"
    done
    wait_ready || die "the server does not accept connections on 127.0.0.1:$port after ${ready_timeout}s"
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$db_user" "$db_name" || die "createdb $db_name failed"

    local url="postgresql://$db_user@127.0.0.1:$port/$db_name"
    echo "$url" >"$dir/url"
    trap - EXIT
    echo "$url"
}

stop() {
    [[ -e "$dir" ]] || return 0
    [[ -d "$dir" ]] || die "$dir is not a directory"
    if [[ ! -e "$dir/$marker" ]]; then
        [[ -z "$(ls -A "$dir")" ]] || die "$dir was not made by this script (no $marker in it): not removing it"
        rmdir "$dir"
        return 0
    fi
    if postmaster_pid >/dev/null && use_cluster_bindir; then
        server_user=$(stat -c %U "$data")
        as_server "$bindir/pg_ctl" stop -D "$data" -m fast -w -t 60 -s >&2 || true
    fi
    kill_cluster # whatever a failed stop, a half-done start or a kill left running
    remove_stale_shm
    rm -rf -- "$dir"
}

status() {
    [[ -f "$dir/url" && -f "$dir/port" ]] || die "no cluster in $dir"
    postmaster_pid >/dev/null || die "the server of $dir is not running"
    use_cluster_bindir || die "no PostgreSQL binaries for $data (its PG_VERSION) in /usr/lib/postgresql"
    port=$(<"$dir/port")
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$db_user" -d postgres ||
        die "the server of $dir does not accept connections"
    cat "$dir/url"
}

kill_() {
    [[ -f "$dir/$marker" ]] || die "no cluster in $dir"
    postmaster_pid >/dev/null || die "the server of $dir is not running"
    kill_cluster
}

restart() {
    [[ -f "$dir/$marker" && -f "$dir/port" && -f "$dir/url" && -f "$data/PG_VERSION" ]] ||
        die "no cluster in $dir (a stop removes it; restart follows a kill)"
    use_cluster_bindir || die "no PostgreSQL $(<"$data/PG_VERSION") binaries in /usr/lib/postgresql for $data"
    server_user=$(stat -c %U "$data")
    port=$(<"$dir/port")
    if postmaster_pid >/dev/null; then
        as_server "$bindir/pg_ctl" stop -D "$data" -m fast -w -t 60 -s >&2 || die "could not stop the running server"
    fi
    kill_cluster
    # After a kill, postmaster.pid and the socket's lock file stay behind. postgres ignores them if
    # the pid in them is gone, but not if it is a zombie (in a container whose PID 1 does not reap
    # orphans) or was reused by another process. No process of this cluster is left (above), so
    # such a file is stale.
    local lock_file old_pid
    for lock_file in "$data/postmaster.pid" "$dir"/.s.PGSQL.*.lock; do
        old_pid=$(head -n 1 "$lock_file" 2>/dev/null || true)
        if [[ "$old_pid" =~ ^[0-9]+$ && -e "/proc/$old_pid" ]]; then as_server rm -f "$lock_file"; fi
    done
    port_in_use "$port" && die "port $port of $dir is taken by another process"
    start_server || { cat "$dir/pg_ctl.log" >&2; tail -n 15 "$log" >&2; die "the server did not start (log: $log)"; }
    wait_ready || die "the server does not accept connections on 127.0.0.1:$port after ${ready_timeout}s"
    cat "$dir/url"
}

case "$command" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    kill) kill_ ;;
    restart) restart ;;
esac

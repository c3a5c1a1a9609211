# Shell pieces the benchmarks share: a free port, wrk's figures, a static nginx. Sourced.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
              || echo $(( 20000 + RANDOM % 20000 )); }

# wrk --latency output → "rps p50_ms p99_ms non2xx"
parse_wrk() {
    awk '
        function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
        /Requests\/sec/ { rps = $2 }
        $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
        $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
        /Non-2xx/ { bad = $5 }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }' "$1"
}

# An nginx answering a static 200 with one worker, under $work/nginx: sets nport and nginx_pid,
# and adds the pid to pids (the caller's cleanup kills them).
start_nginx() {
    nport=$(free_port)
    mkdir -p "$work/nginx/logs"
    cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nport;
        location / { return 200 "ok\n"; }
    }
}
CONF
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
    nginx_pid=$!
    pids+=("$nginx_pid")
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nport/" && break; sleep 0.1; done
}

#!/usr/bin/env bash
# `tlsforge proxy` beside nginx and Caddy, in one run, on loopback, in front of the same
# backends: requests/s and latency for small responses over keep-alive HTTPS, new connections
# (a TLS handshake each) per second, a WebSocket echo round trip, and each proxy's memory with
# 1,000 idle WSS connections open through it. Not a test: run it by hand on a quiet machine.
#
#   apt-get install nginx caddy wrk python3-websockets
#   bash bench/proxy.sh                 # TLSFORGE_BIN=path skips the release build
#
# Every proxy gets the same certificate (an ECDSA P-256 leaf of a throwaway local CA), the
# same backend (nginx answering a 13-byte body on 127.0.0.1:18000; a Python ws:// echo on
# 18001) and the same load (wrk, 2 threads, 50 connections, 10 s). nginx: one worker per core,
# keep-alive to the backend, an access log to a file as Debian's nginx.conf has (and once more
# with `access_log off`); Caddy: its defaults (no access log); tlsforge: its defaults, the access
# log to a file. Each proxy runs in a session of its own, as nginx's daemon does and as a proxy
# started in a terminal does: with autogroup scheduling (Linux's default on desktops) the CPU is
# shared between sessions first, so a proxy in wrk's session would be competing with wrk.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in nginx caddy wrk; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (see the top of $0)" >&2; exit 2; }
done
# Debian's python3 (with python3-websockets), also when a version manager's comes first on PATH.
py=python3
for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import websockets' 2>/dev/null; then py=$candidate; break; fi
done
"$py" -c 'import websockets' 2>/dev/null || { echo "python3-websockets is not installed" >&2; exit 2; }
if [ -z "${TLSFORGE_BIN:-}" ]; then
    cargo build --release --quiet
    TLSFORGE_BIN=$PWD/target/release/tlsforge
fi
ulimit -n 8192 2>/dev/null || true

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for conf in "$work"/nginx-*.conf; do [ -f "$conf" ] && nginx -c "$conf" -s stop 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

export TLSFORGE_CA_DIR=$work/ca
"$TLSFORGE_BIN" gen --ca --out "$work" --name leaf localhost 127.0.0.1 >/dev/null
chmod 644 "$work/leaf.key"   # nginx's workers and Caddy read it; a throwaway key

nginx_conf() { # name, access_log, server block
    cat > "$work/nginx-$1.conf" <<EOF
worker_processes auto;
pid $work/nginx-$1.pid;
error_log $work/nginx-$1.err warn;
events { worker_connections 4096; }
http {
    access_log $2;
    client_body_temp_path $work/$1-body; proxy_temp_path $work/$1-proxy;
    fastcgi_temp_path $work/$1-fcgi; uwsgi_temp_path $work/$1-uwsgi; scgi_temp_path $work/$1-scgi;
    $3
}
EOF
    nginx -c "$work/nginx-$1.conf"
}

nginx_conf backend off 'server { listen 127.0.0.1:18000; location / { return 200 "hello, world\n"; } }'
"$py" - 18001 > /dev/null 2>&1 <<'EOF' &
import asyncio, sys, websockets
async def echo(ws, path=None):
    async for m in ws:
        await ws.send(m)
async def main():
    async with websockets.serve(echo, "127.0.0.1", int(sys.argv[1]), max_queue=None):
        await asyncio.Future()
asyncio.run(main())
EOF
pids+=($!)

proxy_block() { # port
    echo "
    upstream app { server 127.0.0.1:18000; keepalive 64; }
    server {
        listen 127.0.0.1:$1 ssl http2;
        ssl_certificate $work/leaf.crt; ssl_certificate_key $work/leaf.key;
        location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection \"\";
                     proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; }
        location /ws/ { proxy_pass http://127.0.0.1:18001; proxy_http_version 1.1;
                        proxy_set_header Upgrade \$http_upgrade; proxy_set_header Connection upgrade; }
    }"
}
nginx_conf proxy "$work/nginx-proxy.access" "$(proxy_block 18443)"
nginx_conf proxy-nolog off "$(proxy_block 18446)"

cat > "$work/Caddyfile" <<EOF
{
    admin off
    storage file_system $work/caddy
}
https://127.0.0.1:18445, https://localhost:18445 {
    tls $work/leaf.crt $work/leaf.key
    reverse_proxy /ws/* 127.0.0.1:18001
    reverse_proxy 127.0.0.1:18000
}
EOF
HOME=$work XDG_DATA_HOME=$work XDG_CONFIG_HOME=$work setsid caddy run --config "$work/Caddyfile" --adapter caddyfile \
    > "$work/caddy.log" 2>&1 &
pids+=($!)
caddy_pid=$!

setsid "$TLSFORGE_BIN" proxy --listen 127.0.0.1:18444 --to 127.0.0.1:18000 --route /ws=127.0.0.1:18001 \
    --cert "$work/leaf.crt" --key "$work/leaf.key" > "$work/tlsforge.log" 2>"$work/tlsforge.err" &
pids+=($!)
tlsforge_pid=$!

wait_for() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }
for port in 18000 18001 18443 18444 18445 18446; do wait_for "$port"; done

# Resident memory (KiB) of a process and its children (nginx: the master and its workers).
rss() {
    local total=0 pid
    for pid in "$@" $(pgrep -P "$1" 2>/dev/null || true); do
        total=$((total + $(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
nginx_pid=$(cat "$work/nginx-proxy.pid")
nginx_nolog_pid=$(cat "$work/nginx-proxy-nolog.pid")

# wrk's "Requests/sec" and the latency percentiles of --latency.
load() { # url, extra wrk arguments...
    local url=$1; shift
    wrk -t2 -c50 -d10s --latency "$@" "$url" 2>/dev/null
}
field() { awk -v key="$1" '$1 == key {print $2}'; }

ws_rtt() { # port: median and p99 of 2,000 echo round trips, microseconds
    "$py" - "$1" <<'EOF'
import asyncio, ssl, sys, time, websockets
async def main():
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    async with websockets.connect(f"wss://127.0.0.1:{sys.argv[1]}/ws/echo", ssl=ctx) as ws:
        times = []
        for i in range(2200):
            start = time.perf_counter(); await ws.send("ping"); await ws.recv()
            times.append((time.perf_counter() - start) * 1e6)
        times = sorted(times[200:])
        print(f"{times[len(times)//2]:.0f} {times[int(len(times)*0.99)]:.0f}")
asyncio.run(main())
EOF
}

idle_wss() { # port, pid: hold 1,000 wss connections, print the proxy's RSS while they are open
    "$py" - "$1" > /dev/null <<'EOF' &
import asyncio, ssl, sys, websockets
async def main():
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    sockets = []
    for batch in range(10):
        sockets += await asyncio.gather(*[websockets.connect(f"wss://127.0.0.1:{sys.argv[1]}/ws/idle", ssl=ctx, ping_interval=None) for _ in range(100)])
    await asyncio.sleep(8)
asyncio.run(main())
EOF
    local client=$!
    sleep 6
    rss "$2"
    wait "$client" 2>/dev/null || true
}

printf '| | requests/s (keep-alive) | p50 | p99 | new TLS connections/s | WSS echo p50 / p99 (µs) | RSS idle | RSS, 1,000 idle WSS |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for entry in "nginx 18443 $nginx_pid" "nginx_(access_log_off) 18446 $nginx_nolog_pid" "Caddy 18445 $caddy_pid" "tlsforge 18444 $tlsforge_pid"; do
    set -- $entry
    name=$1 port=$2 pid=$3
    url="https://127.0.0.1:$port/"
    idle=$(rss "$pid")
    warm=$(load "$url")
    keep=$(load "$url")
    rps=$(echo "$keep" | field Requests/sec:)
    p50=$(echo "$keep" | field 50%)
    p99=$(echo "$keep" | field 99%)
    handshakes=$(load "$url" -H "Connection: close" | field Requests/sec:)
    rtt=$(ws_rtt "$port")
    held=$(idle_wss "$port" "$pid")
    printf '| %s | %s | %s | %s | %s | %s | %s MiB | %s MiB |\n' "${name//_/ }" "$rps" "$p50" "$p99" "$handshakes" \
        "${rtt/ / \/ }" "$((idle / 1024))" "$((held / 1024))"
    : "$warm"
done
echo
echo "($(nproc) cores; $(uname -r); nginx $(nginx -v 2>&1 | cut -d/ -f2), $(caddy version | cut -d' ' -f1), $("$TLSFORGE_BIN" --version))"

#!/usr/bin/env bash
# Peak memory (max RSS) of `tlsforge inspect DIR` for 100, 10,000 and 100,000 certificate files, human and
# JSON. A benchmark, not a test (memory figures are noisy on a shared machine): run it by hand,
# `bash bench/inspect-memory.sh`. TLSFORGE_BIN=path skips the release build (e.g. a debug binary).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TLSFORGE_BIN:-}" ]; then
    cargo build --release --quiet
    TLSFORGE_BIN=$PWD/target/release/tlsforge
fi
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

# One certificate copied n times: distinct files (inspect reads each), made in seconds.
"$TLSFORGE_BIN" gen --out "$data/src" localhost >/dev/null
for n in 100 10000 100000; do
    mkdir -p "$data/$n"
    seq -w 1 "$n" | while read -r i; do cp "$data/src/server.crt" "$data/$n/c$i.crt"; done
done

# Peak RSS in KiB: GNU time when installed, else VmHWM polled from /proc.
peak() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
    else
        "$@" >/dev/null 2>&1 &
        local pid=$! hwm=0 now
        while kill -0 "$pid" 2>/dev/null; do
            now=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$now" ] && hwm=$now
            sleep 0.01
        done
        wait "$pid" || true
        echo "$hwm"
    fi
}

printf '%-8s %-7s %s\n' files format "peak RSS (KiB)"
for n in 100 10000 100000; do
    for format in human json; do
        printf '%-8s %-7s %s\n' "$n" "$format" "$(peak "$TLSFORGE_BIN" inspect --format "$format" "$data/$n")"
    done
done

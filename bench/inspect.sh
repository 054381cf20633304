#!/usr/bin/env bash
# Whole-process timings of `tlsforge inspect` with hyperfine (Debian: apt-get install hyperfine):
# the system bundle, and a directory of 10,000 certificates. A benchmark, not a test: run it by
# hand (`bash bench/inspect.sh`); CI does not. Extra arguments go to hyperfine (e.g. --export-json).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "bench/inspect.sh needs hyperfine" >&2; exit 2; }
cargo build --release --quiet
bin=$PWD/target/release/tlsforge
data=$PWD/target/bench-data
bundle=/etc/ssl/certs/ca-certificates.crt
dir=$data/10k

# 10,000 distinct leaves from one local CA (ECDSA P-256, as `tlsforge gen --ca` makes them),
# made once (~1 minute) and kept under target/.
if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir" "$data/ca"
    mkdir -p "$dir"
    "$bin" ca init --ca-dir "$data/ca" >/dev/null
    seq -w 1 10000 | xargs -P "$(nproc)" -I{} \
        "$bin" gen --ca --ca-dir "$data/ca" --out "$dir" --name "c{}" "c{}.test" >/dev/null
    rm -f "$dir"/*.key
    touch "$dir/.complete"
fi
echo "bundle: $(grep -c 'BEGIN CERTIFICATE' "$bundle") certificates; directory: $(ls "$dir" | wc -l) files"

# An expired root in the bundle makes inspect exit 1: that is its answer, not a failure.
hyperfine --warmup 3 --ignore-failure -N "$@" \
    "$bin inspect $bundle" \
    "$bin inspect --format json $bundle" \
    "openssl crl2pkcs7 -nocrl -certfile $bundle"
# The directory on every core, and on one (files are read on one thread per core).
hyperfine --warmup 2 --ignore-failure --runs 10 -N "$@" \
    "$bin inspect $dir" \
    "$bin inspect --format json $dir" \
    "taskset -c 0 $bin inspect $dir"

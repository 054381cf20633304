#!/usr/bin/env bash
# Whole-process time of `tlsforge gen` beside the peers (openssl, mkcert, rustls-cert-gen),
# measured with hyperfine, plus peak memory. Not a test: run it by hand on a quiet machine.
#
#   bash bench/gen.sh            # needs hyperfine (apt-get install hyperfine); mkcert optional
#
# Peers that are not installed are left out with a note. mkcert runs with CAROOT in a temporary
# directory and never with -install.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
bin="$PWD/target/release/tlsforge"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export TLSFORGE_CA_DIR="$work/ca" CAROOT="$work/mkcert-ca"
"$bin" ca init >/dev/null
have() { command -v "$1" >/dev/null || { echo "note: $1 is not installed; left out" >&2; return 1; }; }

ecdsa=(--command-name "tlsforge gen (ecdsa-p256, self-signed)" "$bin gen --force localhost 127.0.0.1")
ecdsa+=(--command-name "tlsforge gen --ca (ecdsa-p256)" "$bin gen --ca --force localhost 127.0.0.1")
ecdsa+=(--command-name "openssl req -x509 (ec P-256)" "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -days 365 -keyout o.key -out o.crt 2>/dev/null")
if have mkcert; then
    mkcert -ecdsa localhost >/dev/null 2>&1
    ecdsa+=(--command-name "mkcert -ecdsa" "mkcert -ecdsa localhost 127.0.0.1 2>/dev/null")
fi
if have rustls-cert-gen; then
    ecdsa+=(--command-name "rustls-cert-gen (CA + leaf)" "rustls-cert-gen --output rcg -s localhost")
fi
hyperfine --shell=bash --warmup 5 --runs 50 "${ecdsa[@]}"

rsa=(--command-name "tlsforge gen --key rsa-2048" "$bin gen --force --key rsa-2048 localhost")
rsa+=(--command-name "openssl req -newkey rsa:2048" "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -addext subjectAltName=DNS:localhost -days 365 -keyout o.key -out o.crt 2>/dev/null")
if have mkcert; then
    rsa+=(--command-name "mkcert (RSA-2048 leaf)" "mkcert localhost 2>/dev/null")
fi
hyperfine --shell=bash --warmup 2 --runs 20 "${rsa[@]}"

if [ -x /usr/bin/time ]; then
    echo "Peak memory (max RSS):"
    for cmd in "$bin gen --force localhost" "$bin gen --force --key rsa-4096 localhost"; do
        /usr/bin/time -f "  %M KiB  $cmd" bash -c "$cmd >/dev/null"
    done
fi

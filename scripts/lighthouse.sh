#!/usr/bin/env bash
# Lighthouse on the phone profile (end2end/lighthouse.mjs) against the release
# server on a fresh SQLite shop (a free loopback port): home, a category, a
# product, search and the cart must score at least the Performance floor of
# end2end/lighthouse.mjs (issue 20 aims at 95) and 100 for
# Accessibility, Best Practices and SEO, and the app must be installable.
# Runs alone (after the browser tests), since the performance score moves
# with what else the machine does. Needs `scripts/setup.sh` and
# `cargo leptos build --release --split` first.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${CARGO_TARGET_DIR:-$HOME/.cache/oxcart/target}/release/oxcart"
[ -x "$bin" ] || { echo "no release build at $bin (run: cargo leptos build --release --split)" >&2; exit 1; }

data="$(mktemp -d /tmp/oxcart-lighthouse.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
OXCART_ALLOW_TEST_PAYMENTS=true OXCART_ADDR="127.0.0.1:$port" OXCART_DATA_DIR="$data" OXCART_DEMO_PRODUCTS=2000 DATABASE_URL='' RUST_LOG=warn \
  "$bin" serve >"$data/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

ready=no
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && { ready=yes; break; }
  sleep 0.5
done
[ "$ready" = yes ] || { echo "the shop did not start:" >&2; tail -20 "$data/server.log" >&2; exit 1; }
cd end2end && node lighthouse.mjs "http://127.0.0.1:$port"

#!/usr/bin/env bash
# Sets up this machine, builds the release shop and serves it on
# http://127.0.0.1:3000 with SQLite in ./data (demo catalog on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
# Only what running needs; the test tools come with scripts/test.sh.
OXCART_SETUP=run . scripts/setup.sh
if [ ! -x "$CARGO_TARGET_DIR/release/oxcart" ]; then
  say "building the shop: the first build takes 16 to 23 minutes on 2 cores (measured; later ones rebuild only what changed)"
fi
cargo leptos build --release --split
# The demo shop takes test cards only (4242 4242 4242 4242): say so explicitly,
# since a production start refuses the test card processor otherwise.
echo "Oxcart demo: http://127.0.0.1:3000 (test card payments: no real money moves)" >&2
OXCART_ALLOW_TEST_PAYMENTS=true exec "$CARGO_TARGET_DIR/release/oxcart" serve

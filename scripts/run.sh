#!/usr/bin/env bash
# Sets up this machine, builds the release shop and serves it on
# http://127.0.0.1:3000 with SQLite in ./data (demo catalog on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
cargo leptos build --release
exec "$CARGO_TARGET_DIR/release/oxcart" serve

#!/usr/bin/env bash
# Sets up this machine and runs every test: Rust unit and server tests on SQLite,
# the server tests again on a throwaway PostgreSQL, then the Playwright suite in
# Chromium against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

# Incremental debug builds pile up tens of gigabytes in the shared target
# directory over many runs; test builds are mostly of changed crates anyway.
export CARGO_INCREMENTAL=0

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*" >&2; }

step "Rust unit and server tests on SQLite"
cargo test -p app -p oxcart 2>&1 | tee -a "$log"

step "Server tests on PostgreSQL"
scripts/with-postgres.sh cargo test -p oxcart --test api 2>&1 | tee -a "$log"

step "Release build (server + optimised WASM)"
cargo leptos build --release

step "Browser tests (Playwright, Chromium)"
(cd end2end && npx playwright test) 2>&1 | tee -a "$log"

# One closing line for the whole run.
awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^ +[0-9]+ passed/ { p += $1 }
  /^ +[0-9]+ failed/ { f += $1 }
  END { printf "all suites: %d passed, %d failed\n", p, f }
' "$log"

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

# Test binaries of old builds pile up in the shared target directory (about
# 10 GB a run); when the disk runs low, drop those not rebuilt for two days.
if [ "$(df -Pk "${CARGO_TARGET_DIR}" 2>/dev/null | awk 'NR==2 {print $4}')" -lt $((30 * 1024 * 1024)) ] 2>/dev/null; then
  find "$CARGO_TARGET_DIR/debug/deps" -maxdepth 1 -type f -mtime +2 -delete 2>/dev/null || true
fi

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

step "API fuzzing (schemathesis against the OpenAPI document)"
scripts/api-fuzz.sh 2>&1 | tee -a "$log"

# One closing line for the whole run.
awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^ +[0-9]+ passed/ { p += $1 }
  /^ +[0-9]+ failed/ { f += $1 }
  END { printf "all suites: %d passed, %d failed\n", p, f }
' "$log"

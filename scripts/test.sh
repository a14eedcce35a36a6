#!/usr/bin/env bash
# Sets up this machine and runs every test: Rust unit and server tests on SQLite,
# the server tests again on a throwaway PostgreSQL, then the Playwright suite in
# Chromium against the release build, API fuzzing and Lighthouse.
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

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*" >&2; }

# "passed failed skipped flaky" counted in one suite's output: cargo's "test
# result:" lines and Playwright's "N passed/failed/flaky/skipped" lines (a
# flaky test passed on its retry: it counts as passed, and is named apart).
count() {
  awk '
    /^test result:/ {
      for (i = 1; i <= NF; i++) {
        if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) s += $i
      }
    }
    /^ +[0-9]+ passed/ { p += $1 }
    /^ +[0-9]+ failed/ { f += $1 }
    /^ +[0-9]+ flaky/ { p += $1; k += $1 }
    /^ +[0-9]+ (skipped|did not run)/ { s += $1 }
    END { printf "%d %d %d %d\n", p, f, s, k }
  ' "$1"
}

# Every suite runs, whatever an earlier one did, and the run fails at the end
# if any did. A suite that failed without a failing test of its own (a build
# error, a fuzzer finding) counts as one failure.
passed=0 failed=0 skipped=0 flaky=0 n=0
failed_suites=()
# How long each suite took, printed at the end (CI's time limit is the
# whole run's; this says where it goes).
timings=()
suite() { # name command...
  local name=$1 out="$logs/$((n += 1)).log" status=0 started=$SECONDS; shift
  step "$name"
  "$@" 2>&1 | tee "$out" || status=$?
  timings+=("$(printf '%5d s  %s' $((SECONDS - started)) "$name")")
  read -r p f s k < <(count "$out")
  if [ "$status" -ne 0 ]; then
    failed_suites+=("$name")
    [ "$f" -gt 0 ] || f=1
  fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s)) flaky=$((flaky + k))
  return "$status"
}

suite "Import circles between source files (app/src, server/src), and the checker's self-test" \
  bash -c 'python3 scripts/test_import_circles.py && python3 scripts/import-circles.py app/src server/src' || true
suite "Rust unit and server tests on SQLite" cargo test --no-fail-fast -p app -p oxcart || true
suite "Server tests on PostgreSQL" scripts/with-postgres.sh cargo test --no-fail-fast -p oxcart --test api --test search_quality --test recommend_quality || true
if suite "Release build (server + optimised WASM, one chunk per lazy route)" cargo leptos build --release --split; then
  suite "Shopper's bundle size (brotli, against its budget)" scripts/bundle-size.sh || true
  suite "Browser tests (Playwright, Chromium)" bash -c 'cd end2end && npx playwright test' || true
  suite "API fuzzing (schemathesis against the OpenAPI document)" scripts/api-fuzz.sh || true
  suite "Lighthouse on a phone (home, category, product, search, cart)" scripts/lighthouse.sh || true
else
  failed_suites+=("bundle size, Playwright, API fuzzing and Lighthouse: not run without a release build")
  failed=$((failed + 4))
fi

printf '\ntime per suite:\n' >&2
printf '  %s\n' "${timings[@]}" >&2
if [ ${#failed_suites[@]} -gt 0 ]; then
  printf '\nfailed suites:\n' >&2
  printf '  - %s\n' "${failed_suites[@]}" >&2
fi
[ "$flaky" -eq 0 ] || echo "flaky: $flaky test(s) passed only on their retry (see the Playwright output)" >&2
# One closing line for the whole run.
echo "total: $passed passed, $failed failed, $skipped skipped"
[ ${#failed_suites[@]} -eq 0 ]

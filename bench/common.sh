# Shared by the bench scripts: tools, the baseline server, a scratch directory,
# and wrk runs printed as a Markdown table. Source it after setting defaults.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/usr/bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/oxcart/target}"
# Benchmarks pay with the built-in test card processor.
export OXCART_ALLOW_TEST_PAYMENTS=true
# One load generator on loopback is one client: no order or payment limits.
export OXCART_ORDER_RATE=0 OXCART_PAYMENT_RATE=0
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bin="$CARGO_TARGET_DIR/release/oxcart"
[ -x "$bin" ] || { echo "build the shop first: cargo leptos build --release --split" >&2; exit 1; }

data="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT

# Starts the bare axum baseline on $1.
start_baseline() {
  "$bin" baseline "$1" & pids+=($!)
}

# Waits until the shop at $1 answers /readyz (first starts seed and index).
wait_ready() {
  for _ in $(seq 1 1800); do curl -sf "http://$1/readyz" >/dev/null && return; sleep 0.2; done
  echo "shop did not start" >&2; exit 1
}

# run NAME URL [PATHS_FILE [COOKIE [METHOD]]]: one wrk run; prints "name<TAB>req/s<TAB>p99".
# METHOD POST sends an empty form from the shop's own origin (a server function call).
# Runs over a list of URLs first visit each of them for $WARMUP (default 3s),
# so they measure the steady state rather than every page's first render.
run() {
  local out rps p99
  if [ -n "${3:-}" ]; then
    PATHS_FILE="$3" COOKIE="${4:-}" METHOD="${5:-GET}" wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-3s}" -s bench/rotate.lua "$2" >/dev/null
    out="$(PATHS_FILE="$3" COOKIE="${4:-}" METHOD="${5:-GET}" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/rotate.lua "$2")"
  else
    out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Accept-Encoding: gzip, br' "$2")"
  fi
  rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  printf '%s\t%s\t%s\n' "$1" "$rps" "$p99"
}

# Prints the runs in $1 (the first is the baseline) as a Markdown table.
table() {
  echo "| target | req/s | p99 | share of baseline req/s |"
  echo "|---|---:|---:|---:|"
  awk -F'\t' 'NR == 1 { base = $2 } { printf "| %s | %.0f | %s | %.1f%% |\n", $1, $2, $3, 100 * $2 / base }' "$1"
  echo
}

machine() {
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), wrk -t2 -c$CONNECTIONS -d$DURATION, $(date -u +%Y-%m-%d)"
}

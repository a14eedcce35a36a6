#!/usr/bin/env bash
# Page throughput against a bare axum baseline, in one run on this machine.
# Starts the release server on a fresh SQLite catalog of $PRODUCTS products and
# the baseline, then runs wrk (64 connections, $DURATION per target) against
# each on loopback and prints a Markdown table. Needs `cargo leptos build --release`.
#   bench/pages.sh            PRODUCTS=10000 DURATION=10s CONNECTIONS=64
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/oxcart/target}"
PRODUCTS="${PRODUCTS:-10000}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
SHOP=127.0.0.1:3300
BASE=127.0.0.1:3301

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build -q --release --example hello -p oxcart
bin="$CARGO_TARGET_DIR/release/oxcart"
[ -x "$bin" ] || { echo "build the shop first: cargo leptos build --release" >&2; exit 1; }

data="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT

"$CARGO_TARGET_DIR/release/examples/hello" "$BASE" & pids+=($!)
OXCART_ADDR=$SHOP OXCART_DATA_DIR="$data" OXCART_DEMO_PRODUCTS="$PRODUCTS" DATABASE_URL= RUST_LOG=warn \
  "$bin" serve & pids+=($!)
for _ in $(seq 1 600); do curl -sf "http://$SHOP/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://$SHOP/readyz" >/dev/null || { echo "shop did not start" >&2; exit 1; }

# Many distinct pages for the rotating runs: products linked from the first
# pages of every department, and those listing pages with every sort order.
for dept in electronics fashion home-kitchen sports-outdoors beauty-health toys-games garden-diy pets; do
  for page in 1 2 3 4 5; do
    curl -s "http://$SHOP/c/$dept?page=$page" | grep -o 'href="/p/[a-z0-9-]*"' | cut -d'"' -f2
    for sort in featured price-asc price-desc newest rating name; do
      echo "/c/$dept?page=$page&sort=$sort" >>"$data/categories.txt"
    done
  done
done | sort -u >"$data/products.txt"
slug="$(head -1 "$data/products.txt")"
css="$(curl -s "http://$SHOP/" | grep -o '/pkg/[^"]*\.css' | head -1)"

run() { # name url [paths-file]
  local out rps p99
  if [ -n "${3:-}" ]; then
    out="$(PATHS_FILE="$3" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/rotate.lua "$2")"
  else
    out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Accept-Encoding: gzip, br' "$2")"
  fi
  rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  printf '%s\t%s\t%s\n' "$1" "$rps" "$p99"
}

{
  run "baseline: bare axum hello" "http://$BASE/"
  run "home /" "http://$SHOP/"
  run "category /c/electronics" "http://$SHOP/c/electronics"
  run "category page 3, by price" "http://$SHOP/c/fashion?page=3&sort=price-asc"
  run "product /p/… (one URL)" "http://$SHOP$slug"
  run "categories, $(wc -l <"$data/categories.txt") URLs in turn" "http://$SHOP" "$data/categories.txt"
  run "products, $(wc -l <"$data/products.txt") URLs in turn" "http://$SHOP" "$data/products.txt"
  [ -n "$css" ] && run "static CSS (hashed)" "http://$SHOP$css"
} >"$data/results.tsv"

echo "| target | req/s | p99 | share of baseline req/s |"
echo "|---|---:|---:|---:|"
awk -F'\t' 'NR == 1 { base = $2 } { printf "| %s | %.0f | %s | %.1f%% |\n", $1, $2, $3, 100 * $2 / base }' "$data/results.tsv"
echo
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $PRODUCTS products on SQLite, wrk -t2 -c$CONNECTIONS -d$DURATION, $(date -u +%Y-%m-%d)"

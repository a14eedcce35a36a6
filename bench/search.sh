#!/usr/bin/env bash
# Search page throughput against a bare axum baseline, in one run on this machine.
# Starts the release server on a fresh SQLite catalog of $PRODUCTS products
# (seeded and indexed on first start), then runs wrk (64 connections, $DURATION
# per target) on loopback and prints a Markdown table, plus the server's RSS.
#   bench/search.sh            PRODUCTS=100000 DURATION=10s CONNECTIONS=64
PRODUCTS="${PRODUCTS:-100000}"
source "$(dirname "$0")/common.sh"
SHOP=127.0.0.1:3310
BASE=127.0.0.1:3311

start_baseline "$BASE"
start_shop() { # cache_ms
  OXCART_ADDR=$SHOP OXCART_DATA_DIR="$data" OXCART_DEMO_PRODUCTS="$PRODUCTS" OXCART_CACHE_MS="$1" \
    DATABASE_URL= RUST_LOG=warn "$bin" serve & shop=$!
  pids+=("$shop")
  wait_ready "$SHOP"
}

# Distinct searches: words, misspellings, partial words, with filters and sorts.
words=(laptop labtop headphones hedphones "wireles headphones" tv television camera "running shoes" sneekers
       "floor lamp" "dog bed" "board game" volt arcwave "maison cle" "coffee grinder" "circular saw" jacket moisturizer)
for w in "${words[@]}"; do
  q="${w// /+}"
  for extra in "" "&sort=price-asc" "&sort=rating" "&stock=1" "&price=50-250" "&page=2" "&rating=4" "&sort=newest&stock=1"; do
    echo "/search?q=$q$extra"
  done
done >"$data/searches.txt"

n="$(wc -l <"$data/searches.txt")"
{
  run "baseline: bare axum hello" "http://$BASE/"
  start_shop 0
  run "search, $n URLs in turn, no caches (OXCART_CACHE_MS=0)" "http://$SHOP" "$data/searches.txt"
  kill "$shop"; wait "$shop" 2>/dev/null || true
  start_shop 30000
  run "search, one URL (page cache)" "http://$SHOP/search?q=wireles+headphones"
  run "search, $n URLs in turn (page cache)" "http://$SHOP" "$data/searches.txt"
  run "search, $n URLs in turn, with a cookie (result cache only)" "http://$SHOP" "$data/searches.txt" "session=bench"
} >"$data/results.tsv"

table "$data/results.tsv"
echo "server RSS after the runs: $(awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' /proc/"$shop"/status); search index on disk: $(du -sh "$data/search" | cut -f1)"
echo "$PRODUCTS products on SQLite; $(machine)"

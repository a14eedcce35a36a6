#!/usr/bin/env bash
# Sign-in burst against the rest of the shop: category pages alone, then the
# same pages while 64 connections send sign-ins (each a full argon2id check on
# the bounded hashing pool). Pages must keep their p99 while sign-ins run.
# Needs `cargo leptos build --release --split`.
#   bench/signin.sh            PRODUCTS=2000 DURATION=10s CONNECTIONS=64
PRODUCTS="${PRODUCTS:-2000}"
source "$(dirname "$0")/common.sh"
SHOP=127.0.0.1:3310
BASE=127.0.0.1:3311
PAGE_CONNECTIONS="${PAGE_CONNECTIONS:-16}"

start_baseline "$BASE"
OXCART_ADDR=$SHOP OXCART_DATA_DIR="$data" OXCART_DEMO_PRODUCTS="$PRODUCTS" OXCART_AUTH_BURST=1000000 \
  DATABASE_URL= RUST_LOG=error "$bin" serve & pids+=($!)
wait_ready "$SHOP"
for dept in electronics fashion home-kitchen sports-outdoors; do
  for page in 1 2 3; do
    for sort in popular price-asc newest; do echo "/c/$dept?page=$page&sort=$sort"; done
  done
done >"$data/pages.txt"

# pages NAME: category pages in turn on $PAGE_CONNECTIONS connections.
pages() { CONNECTIONS=$PAGE_CONNECTIONS run "$1" "http://$SHOP" "$data/pages.txt"; }

{
  CONNECTIONS=$PAGE_CONNECTIONS run "baseline: bare axum hello" "http://$BASE/"
  pages "category pages alone"
  ORIGIN="http://$SHOP" wrk -t1 -c"$CONNECTIONS" -d"$(( ${DURATION%s} + 6 ))s" --latency -s bench/signin.lua \
    "http://$SHOP" >"$data/signin.txt" &
  sleep 3
  pages "category pages during the sign-in burst"
  wait $!
  printf 'sign-ins (%s connections, all failing: argon2id each)\t%s\t%s\n' "$CONNECTIONS" \
    "$(awk '/^Requests\/sec/ { print $2 }' "$data/signin.txt")" "$(awk '$1 == "99%" { print $2 }' "$data/signin.txt")"
} >"$data/results.tsv"

table "$data/results.tsv"
echo "$PRODUCTS products on SQLite; pages on $PAGE_CONNECTIONS connections; $(machine)"

#!/usr/bin/env bash
# Page throughput against a bare axum baseline, in one run on this machine.
# Starts the release server on a fresh SQLite catalog of $PRODUCTS products and
# the baseline, then runs wrk (64 connections, $DURATION per target) against
# each on loopback and prints a Markdown table. Needs `cargo leptos build --release --split`.
#   bench/pages.sh            PRODUCTS=10000 DURATION=10s CONNECTIONS=64
# SHOP_BIN serves the shop from another build (an older commit's `oxcart`,
# for a before/after pair in one session); the baseline stays this build's.
PRODUCTS="${PRODUCTS:-10000}"
source "$(dirname "$0")/common.sh"
SHOP=127.0.0.1:3300
BASE=127.0.0.1:3301

start_baseline "$BASE"
OXCART_ADDR=$SHOP OXCART_DATA_DIR="$data" OXCART_DEMO_PRODUCTS="$PRODUCTS" DATABASE_URL= RUST_LOG=warn \
  "${SHOP_BIN:-$bin}" serve & pids+=($!)
wait_ready "$SHOP"

# Many distinct pages for the rotating runs: products linked from the first
# pages of every department, and those listing pages in every sort order and
# filtered to products in stock.
for dept in electronics fashion home-kitchen sports-outdoors beauty-health toys-games garden-diy pets; do
  for page in 1 2 3 4 5; do
    curl -s "http://$SHOP/c/$dept?page=$page" | grep -o 'href="/p/[a-z0-9-]*"' | cut -d'"' -f2
    for filter in sort=popular sort=price-asc sort=price-desc sort=newest sort=rating stock=1; do
      echo "/c/$dept?page=$page&$filter" >>"$data/categories.txt"
    done
  done
done | sort -u >"$data/products.txt"
slug="$(head -1 "$data/products.txt")"
css="$(curl -s "http://$SHOP/" | grep -o '/pkg/[^"]*\.css' | head -1)"
# A real guest session (a cart with one line): each request then loads the
# session, and saves it only when due (its idle deadline an hour behind).
# (The first product sold one way: one with options needs a chosen variant.)
for product in $(seq 1 50); do
  guest="$(curl -s -D - -o /dev/null -H "Origin: http://$SHOP" --data product=$product "http://$SHOP/api/cart/add" |
    grep -io 'set-cookie: oxcart=[^;]*' | cut -d' ' -f2)"
  [ -n "$guest" ] && break
done

{
  run "baseline: bare axum hello" "http://$BASE/"
  run "home /" "http://$SHOP/"
  run "category /c/electronics" "http://$SHOP/c/electronics"
  run "category page 3, by price" "http://$SHOP/c/fashion?page=3&sort=price-asc"
  run "product /p/… (one URL)" "http://$SHOP$slug"
  run "categories, $(wc -l <"$data/categories.txt") URLs in turn" "http://$SHOP" "$data/categories.txt"
  run "products, $(wc -l <"$data/products.txt") URLs in turn" "http://$SHOP" "$data/products.txt"
  # Catalog pages are the same for every shopper (the header's personal part
  # is a server function the browser calls), so a session changes nothing.
  run "categories in turn, with a cookie" "http://$SHOP" "$data/categories.txt" "session=bench"
  run "products in turn, with a cookie" "http://$SHOP" "$data/products.txt" "session=bench"
  run "categories in turn, with a guest session (cart)" "http://$SHOP" "$data/categories.txt" "$guest"
  run "products in turn, with a guest session (cart)" "http://$SHOP" "$data/products.txt" "$guest"
  # What the browser asks after each of those pages: the header's cart count and name.
  echo /api/visitor >"$data/visitor.txt"
  run "header's personal part (POST /api/visitor), guest session" "http://$SHOP" "$data/visitor.txt" "$guest" POST
  [ -n "$css" ] && run "static CSS (hashed)" "http://$SHOP$css"
} >"$data/results.tsv"

table "$data/results.tsv"
echo "$PRODUCTS products on SQLite; $(machine)"

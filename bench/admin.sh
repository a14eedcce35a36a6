#!/usr/bin/env bash
# The back office's product list over a large catalog, beside a bare axum
# baseline and a plain indexed SQL lookup through the same server stack, in
# one run: an admin (made with `oxcart create-admin`, password set by its
# link, two-step sign-in turned on) asks for pages of the list as the list
# page does: the first page, a deep page, a name search, a stock filter.
# Each is measured at every load in LOADS (concurrent clients: a couple of
# staff at once, then a busy back office). Needs `cargo leptos build --release --split`.
#   bench/admin.sh            PRODUCTS=100000 DURATION=10s LOADS="2 8"
PRODUCTS="${PRODUCTS:-100000}"
LOADS="${LOADS:-2 8}"
source "$(dirname "$0")/common.sh"
SHOP=127.0.0.1:3320
BASE=127.0.0.1:3321

start_baseline "$BASE"
OXCART_ADDR=$SHOP OXCART_DATA_DIR="$data" OXCART_DEMO_PRODUCTS="$PRODUCTS" OXCART_AUTH_BURST=1000 \
  DATABASE_URL= RUST_LOG=error "$bin" serve & pids+=($!)
wait_ready "$SHOP"

# An admin's session: the link from create-admin sets the password, then the
# two-step secret is turned on with a code computed here.
link="$(OXCART_DATA_DIR="$data" DATABASE_URL= RUST_LOG=error "$bin" create-admin --email bench@example.com | grep -o 'token=[^ ]*' | cut -d= -f2)"
jar="$data/cookies"
post() { curl -s -b "$jar" -c "$jar" -H "Origin: http://$SHOP" "http://$SHOP/api/$1" --data "$2"; }
post account/reset "token=$link&new=bench+pass+phrase+1" >/dev/null
secret="$(post account/two-step/start 'password=bench+pass+phrase+1' | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
code="$(python3 - "$secret" <<'PY'
import base64, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), "sha1").digest()
offset = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
)"
post account/two-step/enable "code=$code" >/dev/null
cookie="$(awk '$6 ~ /oxcart/ { print $6 "=" $7 }' "$jar" | tail -1)"
[ -n "$cookie" ] && curl -sf -b "$cookie" "http://$SHOP/api/admin/products" >/dev/null || { echo "could not sign the admin in" >&2; exit 1; }

deep=$(( PRODUCTS / 24 / 2 ))
echo "/api/admin/products?page=1" >"$data/first.txt"
echo "/api/admin/products?page=$deep&sort=name" >"$data/deep.txt"
echo "/api/admin/products?q=walnut" >"$data/search.txt"
echo "/api/admin/products?q=oak&page=2" >"$data/common.txt"
echo "/api/admin/products?stock=low&sort=stock" >"$data/low.txt"
echo "/admin/products?q=walnut" >"$data/page.txt"
product="$(curl -s "http://$SHOP/c/electronics" | grep -o 'href="/p/[a-z0-9-]*"' | head -1 | cut -d/ -f3 | tr -d '"')"
for CONNECTIONS in $LOADS; do
  {
    run "baseline: bare axum hello" "http://$BASE/"
    run "one product page, cached (indexed lookup and render)" "http://$SHOP/p/$product"
    run "admin list, first page (newest changes)" "http://$SHOP" "$data/first.txt" "$cookie"
    run "admin list, page $deep by name" "http://$SHOP" "$data/deep.txt" "$cookie"
    run "admin list, name search, no hits (trigram index)" "http://$SHOP" "$data/search.txt" "$cookie"
    run "admin list, name search, page 2 of many hits" "http://$SHOP" "$data/common.txt" "$cookie"
    run "admin list, low stock, least first" "http://$SHOP" "$data/low.txt" "$cookie"
    run "admin list page (server-rendered HTML), name search" "http://$SHOP" "$data/page.txt" "$cookie"
  } >"$data/results.tsv"
  echo "### $CONNECTIONS concurrent clients"
  echo
  table "$data/results.tsv"
  echo "$PRODUCTS products on SQLite; $(machine)"
  echo
done

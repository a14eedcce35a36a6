#!/usr/bin/env bash
# Fails when the WebAssembly a shopper's phone downloads for a product page,
# brotli-compressed at quality 11 as the server sends it, is larger than its
# budget. Run after `cargo leptos build --release --split`.
#
# With --split the home and product pages are eager (their code is in the
# main module) and every other page is a lazy route whose code is in chunks
# (app/src/routes.rs): a product page loads the main module, plus the chunks
# the split manifest lists for a product route if it is ever made lazy again.
# The staff pages' chunks are reported apart; they never count against the
# budget. It also prints what each route and a few shoppers' journeys load
# (the main module and the union of their routes' chunks), so a change that
# moves code between the main module and the chunks shows its whole cost.
# Without a split manifest (an unsplit build) the whole bundle counts.
# BUNDLE_BUDGET (bytes, default 286500, under issue 17's target of 300000)
# is a ratchet: a product page loads 285,464 B (2026-12-07; BENCHMARKS.md,
# "WebAssembly bundle"). Lower it as the page shrinks, leaving about a
# kilobyte for builds on other machines, which land some bytes apart;
# never raise it without the measurement that forces it in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE_BUDGET="${BUNDLE_BUDGET:-286500}"
shopt -s nullglob
wasm=(target/site/pkg/oxcart.*.wasm)
if [ ${#wasm[@]} -ne 1 ]; then
  echo "bundle size: expected one target/site/pkg/oxcart.*.wasm, found ${#wasm[@]} (build first)" >&2
  exit 1
fi
manifest=(target/site/pkg/__wasm_split_manifest*.json)
node - "${wasm[0]}" "${manifest[0]:-}" "$BUNDLE_BUDGET" <<'JS'
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const [main, manifestPath, budget] = process.argv.slice(2);
const brotli = (file) => {
  const data = fs.readFileSync(file);
  const q = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } };
  return { raw: data.length, br: zlib.brotliCompressSync(data, q).length };
};
const dir = path.dirname(main);
const mainSize = brotli(main);
// The chunks each split point needs, by the split point's name (the lazy
// route's view: `__product_route_view_<hash>` and so on).
const manifest = manifestPath ? JSON.parse(fs.readFileSync(manifestPath, "utf8")) : {};
const chunksOf = (pattern) => {
  const keys = Object.keys(manifest).filter((k) => pattern.test(k));
  return [...new Set(keys.flatMap((k) => manifest[k]))].map((c) => path.join(dir, path.basename(c) + ".wasm"));
};
const sum = (files) => files.map(brotli).reduce((a, s) => ({ raw: a.raw + s.raw, br: a.br + s.br }), { raw: 0, br: 0 });
const line = (what, s) => console.log(`${what}: ${s.raw} B raw, ${s.br} B brotli`);
line("main module (every page)", mainSize);
let product = mainSize;
if (manifestPath) {
  // The product page is an eager route (its code is in the main module, so a
  // product page loads nothing else); a lazy product route's chunks count too.
  const productChunks = sum(chunksOf(/^__product_route/));
  product = { raw: mainSize.raw + productChunks.raw, br: mainSize.br + productChunks.br };
  line("product page's chunks", productChunks);
  line("staff pages' chunks (admin only)", sum(chunksOf(/^__admin_route/)));
  const all = fs.readdirSync(dir).filter((f) => f.endsWith(".wasm") && path.join(dir, f) !== main);
  line(`every chunk (${all.length} files)`, sum(all.map((f) => path.join(dir, f))));
  if (!Object.keys(manifest).some((k) => /^__admin_route/.test(k))) {
    console.error("bundle size: the split manifest names no back-office route; is routes.rs still lazy?");
    process.exit(1);
  }
  // Each route and journey: the main module and the union of the routes' chunks.
  const sizes = new Map();
  const chunkBr = (c) => sizes.get(c) ?? (sizes.set(c, brotli(path.join(dir, path.basename(c) + ".wasm")).br), sizes.get(c));
  const routeChunks = (route) => Object.keys(manifest).filter((k) => k.startsWith(`__${route}_route_`)).flatMap((k) => manifest[k]);
  const loads = (routes) => mainSize.br + [...new Set(routes.flatMap(routeChunks))].reduce((a, c) => a + chunkBr(c), 0);
  for (const route of ["home", "product", "category", "brand", "search", "cart", "checkout", "order", "account"]) {
    console.log(`  ${route} page: ${loads([route])} B brotli`);
  }
  for (const journey of [["home", "category", "product"], ["home", "category", "product", "cart", "checkout", "order"]]) {
    console.log(`  journey ${journey.join(" → ")}: ${loads(journey)} B brotli`);
  }
} else {
  console.log("no split manifest: an unsplit build, every page's code is in the main module");
}
console.log(`a product page loads ${product.br} B brotli (budget ${budget} B)`);
if (product.br > Number(budget)) {
  console.error(`bundle size: over budget by ${product.br - Number(budget)} B`);
  process.exit(1);
}
JS

// Lighthouse (pinned in package.json) on the phone profile against a running
// shop: home, a category, a product, search and the cart, one run each in
// Debian's Chromium. Prints the four scores and whether the page can be
// installed as an app, writes them as JSON to $LIGHTHOUSE_OUT if set, and
// fails below the thresholds: Performance (a floor, below), Accessibility,
// Best Practices and SEO 100, the web app manifest and service worker in place.
//   node lighthouse.mjs http://127.0.0.1:3000
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const base = process.argv[2];
// Performance: the goal is 95 (issue 20); the pages score 77 to 96 today
// (BENCHMARKS.md, "Lighthouse"), held back by the WebAssembly's start-up on a
// slowed phone CPU. The floor is a ratchet, raised as the bundle shrinks.
const thresholds = { performance: Number(process.env.LIGHTHOUSE_PERFORMANCE ?? 70), accessibility: 100, 'best-practices': 100, seo: 100 };
const version = createRequire(import.meta.url)('lighthouse/package.json').version;

// A category and a product taken from the home page, as a shopper finds them.
const home = await (await fetch(`${base}/`)).text();
const category = home.match(/href="(\/c\/[a-z0-9-]+)"/)[1];
const listing = await (await fetch(`${base}${category}?stock=1`)).text();
const product = listing.match(/href="(\/p\/[a-z0-9-]+)"/)[1];
const pages = { home: '/', category, product, search: '/search?q=phone', cart: '/cart' };
// robots.txt keeps crawlers out of the cart on purpose (it is the shopper's
// own), which Lighthouse's "is crawlable" audit counts against SEO: that one
// audit is excused there, every other SEO audit must pass.
const excused = { cart: ['is-crawlable'] };

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = {};
let failed = false;
try {
  for (const [name, path] of Object.entries(pages)) {
    // The first load warms the shop's page cache; the second is measured.
    await fetch(`${base}${path}`);
    const { lhr } = await lighthouse(`${base}${path}`, { port: chrome.port, output: 'json', logLevel: 'error' });
    const scores = Object.fromEntries(Object.keys(thresholds).map((k) => [k, Math.round(lhr.categories[k].score * 100)]));
    const lcp = lhr.audits['largest-contentful-paint'].displayValue;
    results[name] = { path, ...scores, lcp };
    const failing = (category) => lhr.categories[category].auditRefs
      .map((ref) => lhr.audits[ref.id])
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable');
    const below = Object.entries(thresholds).filter(([k, min]) =>
      scores[k] < min && !(k === 'seo' && failing(k).every((a) => (excused[name] ?? []).includes(a.id))));
    console.log(`${name.padEnd(9)} ${path.padEnd(40)} ${Object.entries(scores).map(([k, v]) => `${k} ${v}`).join(', ')}, LCP ${lcp}`);
    for (const [category] of below) {
      failed = true;
      const audits = failing(category);
      console.log(`  ${category} below ${thresholds[category]}: ${audits.map((a) => `${a.id} (${a.displayValue ?? a.score})`).join(', ')}`);
    }
  }
} finally {
  await chrome.kill();
}
// Installability: the manifest and worker as Chromium's own checks see them.
const manifest = await (await fetch(`${base}/manifest.webmanifest`)).json();
const worker = await fetch(`${base}/sw.js`);
const installable = manifest.display === 'standalone' && manifest.icons.some((i) => i.sizes === '512x512') && worker.ok;
if (!installable) failed = true;
console.log(`installable: ${installable} (manifest ${manifest.display}, ${manifest.icons.length} icons, worker ${worker.status}); Lighthouse ${version}`);
if (process.env.LIGHTHOUSE_OUT) writeFileSync(process.env.LIGHTHOUSE_OUT, JSON.stringify({ version, results, installable }, null, 2));
process.exit(failed ? 1 : 0);

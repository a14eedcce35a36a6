// Oxcart's service worker, written for this shop (no library). The server
// serves it at /sw.js with VERSION (changes with every deploy) and SHELL (the
// hashed CSS, JS and WebAssembly, the app's script and icons) set above.
//
// - The shell is fetched when the worker installs and kept per version; a new
//   version waits until the shopper accepts "a new version is ready".
// - Catalog pages (home, categories, brands, products, search) are the same
//   for every shopper (the server renders them without a session), so pages
//   visited are kept (the last MAX_PAGES). The network answers first, since
//   prices and stock change and the server's page cache answers in a
//   millisecond; when it has not answered within SLOW_MS, or there is no
//   connection, the kept copy is shown while the answer still refreshes it
//   (stale-while-revalidate for slow and missing connections). Any other
//   page (cart, checkout, account, orders, back office) is never kept;
//   offline, the offline page answers, listing the pages that work offline.
// - "Add to cart" while offline is queued (IndexedDB) and sent when the
//   connection returns; the pages show what is waiting and what happened.
// - Signing out (or deleting the account) forgets the kept pages and queue.

const SHELL_CACHE = 'oxcart-shell-' + VERSION;
const PAGES = 'oxcart-pages';
const FILES = 'oxcart-files';
const MAX_PAGES = 60;
const MAX_FILES = 300;
const SLOW_MS = 2500;
const CATALOG = /^\/(c\/[^/]+|p\/[^/]+|b\/[^/]+|search)?$/;
const FORGET = ['/api/account/sign-out', '/api/account/sign-out-everywhere', '/api/account/delete'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('oxcart-shell-') && key !== SHELL_CACHE) await caches.delete(key);
    }
    await self.clients.claim();
    await replay();
  })());
});

self.addEventListener('message', (event) => {
  const data = event.data;
  if (data === 'skip-waiting') self.skipWaiting();
  else if (data === 'online') event.waitUntil(replay());
  else if (data === 'pending') event.waitUntil(announcePending());
  else if (data && typeof data.visited === 'string') event.waitUntil(keep(data.visited).catch(() => {}));
});

self.addEventListener('sync', (event) => {
  if (event.tag === 'cart') event.waitUntil(replay());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST') {
    if (FORGET.includes(url.pathname)) event.waitUntil(forget());
    else if (url.pathname === '/api/cart/add') event.respondWith(addToCart(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    event.respondWith(isCatalog(url) ? catalogPage(request, event) : otherPage(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, SHELL_CACHE, 0));
  } else if (/^\/(pkg|media|icons)\//.test(url.pathname)) {
    event.respondWith(cacheFirst(request, FILES, MAX_FILES));
  }
});

function isCatalog(url) {
  return CATALOG.test(url.pathname) && !url.searchParams.has('preview');
}

/// Drops the oldest entries of `cache` past `max` (keys keep insertion order).
async function trim(cache, max) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - max))) await cache.delete(key);
}

async function cacheFirst(request, name, max) {
  const cache = await caches.open(name);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic' && response.status === 200) {
    await cache.put(request, response.clone());
    if (max) await trim(cache, max);
  }
  return response;
}

/// Fetches a catalog page and keeps it (never a redirect or an error).
async function fetchAndKeep(request, cache) {
  const response = await fetch(request);
  if (response.status === 200 && response.type === 'basic' && !response.redirected) {
    await cache.put(new URL(request.url).href, response.clone());
    await trim(cache, MAX_PAGES);
  }
  return response;
}

async function catalogPage(request, event) {
  const cache = await caches.open(PAGES);
  const network = fetchAndKeep(request, cache);
  event.waitUntil(network.catch(() => {}));
  const kept = await cache.match(request.url);
  if (!kept) {
    try {
      return await network;
    } catch (offline) {
      return offlinePage();
    }
  }
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_MS, null));
  try {
    return (await Promise.race([network, slow])) || kept;
  } catch (offline) {
    return kept;
  }
}

async function otherPage(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    return offlinePage();
  }
}

/// A page reached inside the app (without a page load): kept like one loaded.
async function keep(href) {
  const url = new URL(href);
  if (url.origin !== self.location.origin || !isCatalog(url)) return;
  // Without the cookie: the page is the same for everyone.
  await fetchAndKeep(new Request(url.href, { credentials: 'omit' }), await caches.open(PAGES));
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

async function offlinePage() {
  const cache = await caches.open(PAGES);
  const items = [];
  for (const key of (await cache.keys()).reverse()) {
    const text = await (await cache.match(key)).text();
    const title = /<title>([^<]*)<\/title>/.exec(text);
    const url = new URL(key.url);
    // The title is escaped already in the page's HTML.
    items.push(`<li><a href="${escapeHtml(url.pathname + url.search)}">${title ? title[1] : escapeHtml(url.pathname)}</a></li>`);
  }
  const css = SHELL.find((file) => file.endsWith('.css'));
  const list = items.length
    ? `<p>These pages you visited work offline:</p><ul data-testid="offline-pages">${items.join('')}</ul>`
    : '<p>Pages you visit are kept on this device, so next time some of them work offline.</p>';
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>You are offline</title><link rel="stylesheet" href="${css}"></head>
<body><main class="offline-page" data-testid="offline-page"><h1>You are offline</h1>
<p>This page needs a connection. It opens again once you are back online.</p>${list}</main></body></html>`;
  return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

// The offline cart queue, in IndexedDB.

function database() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('oxcart', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('cart', { keyPath: 'id', autoIncrement: true });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function queue(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction('cart', mode);
    const request = work(tx.objectStore('cart'));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
  });
}

async function tell(message) {
  for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) client.postMessage(message);
}

async function announcePending() {
  await tell({ pending: await queue('readonly', (store) => store.count()) });
}

const OFFLINE_ADD = 'You are offline: this goes into your cart as soon as you are back online.';

async function addToCart(request) {
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (offline) {
    await queue('readwrite', (store) => store.add({ url: request.url, body, type: request.headers.get('content-type') || '' }));
    if (self.registration.sync) self.registration.sync.register('cart').catch(() => {});
    await announcePending();
    if ((request.headers.get('accept') || '').includes('text/html')) {
      const page = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Saved for later</title></head>
<body><main data-testid="offline-add"><p>${OFFLINE_ADD}</p><p><a href="/">Go on shopping</a></p></main></body></html>`;
      return new Response(page, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    }
    return new Response(JSON.stringify(OFFLINE_ADD), { status: 200, headers: { 'content-type': 'application/json' } });
  }
}

/// The server's sentence in a reply: a JSON string, or an error's message.
function sentence(text) {
  try {
    const value = JSON.parse(text);
    if (typeof value === 'string') return value;
    const first = Object.values(value)[0];
    return typeof first === 'string' ? first : text;
  } catch (notJson) {
    return text;
  }
}

let replaying = null;

/// Sends the queued additions in order; stops at the first that cannot reach
/// the server (still offline). Each sent one is dropped from the queue
/// whatever the answer (added, or refused with its reason), and the pages are told.
function replay() {
  replaying = replaying || (async () => {
    try {
      for (const item of await queue('readonly', (store) => store.getAll())) {
        let response;
        try {
          response = await fetch(item.url, {
            method: 'POST',
            body: item.body,
            headers: { 'content-type': item.type, accept: 'application/json' },
            credentials: 'same-origin',
          });
        } catch (offline) {
          return;
        }
        await queue('readwrite', (store) => store.delete(item.id));
        await tell({ sent: { ok: response.ok, said: sentence(await response.text()) } });
      }
    } finally {
      replaying = null;
      await announcePending();
    }
  })();
  return replaying;
}

async function forget() {
  await caches.delete(PAGES);
  await queue('readwrite', (store) => store.clear());
  await announcePending();
}

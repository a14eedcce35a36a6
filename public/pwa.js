// The installable app's page side, in plain JavaScript (kept out of the
// WebAssembly bundle): registers the service worker (/sw.js); offers to
// install the app (dismissible, remembered); says when a new version is
// ready and reloads when the shopper agrees; while offline, turns links into
// page loads so the worker can answer from the pages it kept; tells the
// worker which catalog pages the shopper reached inside the app; shows the
// offline cart queue and what became of it.
(() => {
  if (!('serviceWorker' in navigator)) return;
  const worker = navigator.serviceWorker;
  const DISMISSED = 'oxcart-install-dismissed';

  /// A bar at the bottom of the page (one per `id`), with buttons `[label, action]`.
  function bar(id, text, buttons) {
    let node = document.querySelector(`[data-testid="${id}"]`);
    if (!node) {
      node = document.createElement('div');
      node.className = 'pwa-bar';
      node.setAttribute('role', 'status');
      node.dataset.testid = id;
      document.body.appendChild(node);
    }
    node.replaceChildren(document.createElement('span'));
    node.firstChild.textContent = text;
    for (const [label, action] of buttons || []) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      button.addEventListener('click', action);
      node.appendChild(button);
    }
    return node;
  }

  function drop(id) {
    document.querySelector(`[data-testid="${id}"]`)?.remove();
  }

  let accepted = false;
  function offerUpdate(waiting) {
    if (!waiting || !worker.controller) return;
    bar('update-ready', 'A new version of the shop is ready.', [
      ['Reload', () => {
        accepted = true;
        waiting.postMessage('skip-waiting');
      }],
    ]);
  }
  worker.addEventListener('controllerchange', () => {
    if (accepted) location.reload();
  });

  worker.register('/sw.js').then((registration) => {
    offerUpdate(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const installing = registration.installing;
      installing?.addEventListener('statechange', () => {
        if (installing.state === 'installed') offerUpdate(installing);
      });
    });
  }).catch(() => {});

  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    if (localStorage.getItem(DISMISSED)) return;
    bar('install-prompt', 'Install the shop as an app on this device?', [
      ['Install', () => {
        event.prompt();
        event.userChoice.finally(() => drop('install-prompt'));
      }],
      ['Not now', () => {
        localStorage.setItem(DISMISSED, '1');
        drop('install-prompt');
      }],
    ]);
  });
  window.addEventListener('appinstalled', () => drop('install-prompt'));

  // Offline, a link inside the app would ask the server for the page's data
  // and fail; a page load lets the worker answer from what it kept.
  window.addEventListener('click', (event) => {
    if (navigator.onLine || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    const link = event.target instanceof Element && event.target.closest('a[href]');
    if (!link || link.origin !== location.origin || link.target || link.hasAttribute('download')) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    location.assign(link.href);
  }, true);

  const visited = () => worker.controller?.postMessage({ visited: location.href });
  const push = history.pushState;
  history.pushState = function (...args) {
    const result = push.apply(this, args);
    visited();
    return result;
  };
  window.addEventListener('popstate', visited);

  window.addEventListener('online', () => worker.controller?.postMessage('online'));
  worker.addEventListener('message', (event) => {
    const data = event.data || {};
    if (typeof data.pending === 'number') {
      if (data.pending > 0) {
        const items = data.pending === 1 ? '1 item waits' : `${data.pending} items wait`;
        bar('cart-pending', `${items} to go into your cart when you are back online.`);
      } else {
        drop('cart-pending');
      }
    }
    if (data.sent) {
      bar('cart-sent', data.sent.ok ? `Back online: ${data.sent.said}` : `Back online, but not added: ${data.sent.said}`, [
        ['View cart', () => location.assign('/cart')],
        ['Close', () => drop('cart-sent')],
      ]);
    }
  });
  worker.ready.then(() => worker.controller?.postMessage(navigator.onLine ? 'online' : 'pending'));
})();

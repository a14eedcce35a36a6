// The installable app: its manifest and icons, the service worker taking
// charge, visited pages and the offline page without a connection, "add to
// cart" queued offline and sent when back online, and sign-out leaving
// nothing of the shopper in the worker's keeping.
import { test, expect, Page } from '@playwright/test';
import { createStaff } from '../support';
import { openProduct } from './shop';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (err) => { throw err; });
});

/** Waits until the service worker controls `page`. */
async function controlled(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Whether the worker keeps the page at `url`. */
async function kept(page: Page, url: string): Promise<boolean> {
  return page.evaluate(async (u) => (await caches.has('oxcart-pages')) && !!(await (await caches.open('oxcart-pages')).match(u)), url);
}

test('the app can be installed: manifest, icons and an active worker', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  const manifest = await (await request.get(href!)).json();
  expect(manifest.name).toBeTruthy();
  expect(manifest.short_name.length).toBeLessThanOrEqual(12);
  expect(manifest).toMatchObject({ start_url: '/', scope: '/', display: 'standalone', theme_color: '#1d4f3c' });
  expect(manifest.shortcuts.map((s: { url: string }) => s.url)).toEqual(['/search', '/cart']);
  const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  for (const icon of manifest.icons) {
    const file = await request.get(icon.src);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('image/png');
  }
  const state = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state));
  expect(state).toBe('activated');
  await controlled(page);
  // Chromium's own installability checks find nothing missing (a test's
  // browser context is off the record, where nothing installs: that one is not the shop's).
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
});

test('offline, a visited product page opens and other pages say what works offline', async ({ page, context }) => {
  await page.goto('/');
  await controlled(page);
  const name = await openProduct(page, 'electronics');
  const url = page.url();
  await expect.poll(() => kept(page, url)).toBe(true);

  await context.setOffline(true);
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await page.goto('/checkout');
  await expect(page.getByTestId('offline-page')).toContainText('You are offline');
  const offline = page.getByTestId('offline-pages').getByRole('link', { name: new RegExp(name.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  await expect(offline).toBeVisible();
  await offline.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await context.setOffline(false);
});

test('added to the cart offline, it goes into the cart once back online', async ({ page, context }) => {
  await page.goto('/');
  await controlled(page);
  const name = await openProduct(page, 'electronics');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  await context.setOffline(true);
  await page.getByTestId('add-to-cart').click();
  await expect(page.getByTestId('form-done')).toContainText('You are offline');
  await expect(page.getByTestId('cart-pending')).toContainText('1 item waits');

  await context.setOffline(false);
  await expect(page.getByTestId('cart-sent')).toContainText('Back online: Added to your cart');
  await expect(page.getByTestId('cart-pending')).toHaveCount(0);
  await page.goto('/cart');
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expect(page.getByTestId('cart-line')).toContainText(name);
});

test('after sign-out nothing signed-in comes from the worker', async ({ page, context }, info) => {
  await createStaff(page, `pwa-${info.project.name}-${Date.now()}@example.com`, 'a long pass phrase 42');
  await controlled(page);
  await expect(page.getByTestId('account-email')).toBeVisible();
  await openProduct(page, 'electronics');
  const product = page.url();
  await expect.poll(() => kept(page, product)).toBe(true);
  expect(await kept(page, new URL('/account', product).href)).toBe(false);

  await page.goto('/account');
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('account-link')).toHaveText('Sign in');
  await expect.poll(() => kept(page, product), { message: 'what the worker kept is forgotten' }).toBe(false);

  await context.setOffline(true);
  await page.goto('/account');
  await expect(page.getByTestId('offline-page')).toBeVisible();
  await expect(page.getByTestId('account-email')).toHaveCount(0);
  await context.setOffline(false);
});

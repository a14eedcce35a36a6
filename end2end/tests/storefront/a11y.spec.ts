// axe-core (WCAG 2.x A and AA rules) on every storefront page and every
// back-office page, hydrated, on desktop and phone: no violations.
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createStaff, enrolTwoStep } from '../support';
import { addOpenProduct, openProduct } from '../shop/shop';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (err) => { throw err; });
});

/** Opens `path`, waits for hydration and fails with every violation axe finds. */
async function audit(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n    ')}`);
  expect(found, `${path}:\n${found.join('\n')}`).toEqual([]);
}

test('storefront pages have no accessibility violations', async ({ page }) => {
  test.setTimeout(120_000);
  await openProduct(page, 'electronics');
  const product = new URL(page.url()).pathname;
  const brand = (await page.locator('main a[href^="/b/"]').first().getAttribute('href'))!;
  for (const path of [
    '/', '/c/electronics', '/c/electronics?sort=price-asc&stock=1', product, `${product}/reviews`, brand, '/search?q=phone', '/search?q=zzzzqqq',
    '/account/sign-in', '/account/register', '/account/forgot', '/no-such-page',
  ]) {
    await audit(page, path);
  }
  await page.goto(product);
  await addOpenProduct(page);
  await page.getByTestId('save-to-wishlist').click();
  await expect(page.getByTestId('form-done')).toHaveText('Saved to your wishlist.');
  await audit(page, '/cart');
  await audit(page, '/checkout');
  await audit(page, '/wishlist');
  await page.getByTestId('share').click();
  await audit(page, new URL(await page.getByTestId('share-url').inputValue()).pathname);
});

test('back-office pages have no accessibility violations', async ({ page }, info) => {
  test.setTimeout(180_000);
  const password = 'auditor pass phrase 1';
  await createStaff(page, `axe-${info.project.name}-${Date.now()}@example.com`, password);
  await audit(page, '/account');
  await audit(page, '/account/orders');
  await enrolTwoStep(page, password);
  for (const path of [
    '/admin/products', '/admin/products/1', '/admin/products/new', '/admin/import', '/admin/categories', '/admin/brands',
    '/admin/promos', '/admin/settings', '/admin/shipping', '/admin/people', '/admin/customers', '/admin/orders',
    '/admin/analytics', '/admin/audit', '/admin/reviews', '/admin/reviews?status=published',
  ]) {
    await audit(page, path);
  }
  await openProduct(page, 'electronics');
  await audit(page, `/account/reviews${new URL(page.url()).pathname.slice(2)}`);
});

import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { placeOrder, payWith } from '../shop/shop';
import { png, upload } from './pictures';

// Variants from a merchant's browser to a shopper's: an admin creates a
// product, gives it two options (four variants), uploads two pictures and
// shows the second on one variant, prices that variant higher, receives
// stock for two and publishes it; it is found in search and in its category
// within seconds; a shopper picks a variant (price, stock and picture
// follow, the address keeps it), buys it, and only that variant's stock goes
// down; the admin restocks it and reads its ledger.
test('an admin sells a product in four variants and a shopper buys one of them', async ({ page, browser }, info) => {
  test.setTimeout(150_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `qv${Date.now().toString(36)}${info.project.name[0]}`;
  const name = `Linen Shirt ${word}`;
  await createStaff(page, `variants-${word}@example.com`, 'variants pass phrase 1');
  await enrolTwoStep(page, 'variants pass phrase 1');

  await page.goto('/admin/products/new');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.locator('#input-description').fill('Washed linen, a relaxed fit.');
  await page.getByLabel('Brand').selectOption({ index: 1 });
  await page.getByLabel('Category').selectOption({ index: 2 });
  await page.getByLabel('Price (e.g. 19.99)').fill('40.00');
  await page.getByTestId('save-product').click();
  await expect(page).toHaveURL(/\/admin\/products\/\d+$/);
  const editor = page.url();

  await page.getByTestId('options').fill('Size: S, M\nColour: Sand, Olive');
  await page.getByTestId('save-options').click();
  const rows = page.getByTestId('variant-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.getByTestId('variant-title')).toHaveText(['S / Sand', 'S / Olive', 'M / Sand', 'M / Olive']);
  await expect(page.getByTestId('per-variant')).toBeVisible();

  // Two pictures: the first for the product, the second the olive shirt's.
  await upload(page, png(800, 800, 40), `The ${word} shirt in sand`);
  await expect(page.getByTestId('image-item')).toHaveCount(1);
  await upload(page, png(800, 800, 120), `The ${word} shirt in olive`);
  await expect(page.getByTestId('image-item')).toHaveCount(2);
  const oliveUrl = await page.getByTestId('image-item').nth(1).getAttribute('data-url');

  // M / Olive costs more and shows its own picture.
  const mOlive = page.getByTestId('variant-row').nth(3);
  await mOlive.getByLabel('Price of M / Olive', { exact: true }).fill('45.00');
  await mOlive.getByLabel('Picture of M / Olive').selectOption({ label: `The ${word} shirt in olive` });
  await mOlive.getByTestId('save-variant').click();
  await expect(page.getByTestId('variant-row').nth(3).getByLabel('Price of M / Olive', { exact: true })).toHaveValue('45.00');
  await expect(page.getByTestId('variant-row').nth(3).getByLabel('Picture of M / Olive')).toHaveValue(oliveUrl!);

  // Stock for two of them.
  for (const [row, units] of [[0, '3'], [3, '2']] as const) {
    const variant = await page.getByTestId('variant-row').nth(row).getAttribute('data-variant');
    await page.getByTestId('adjust-variant').selectOption(variant!);
    await page.getByLabel('Change (e.g. 12 or -3)').fill(units);
    await page.getByLabel('Reason').selectOption('received');
    await page.getByTestId('adjust').click();
    await expect(page.getByTestId('ledger').locator('tbody tr').first()).toContainText('Goods received');
  }
  await expect(page.getByTestId('variant-row').getByTestId('variant-stock')).toHaveText(['3', '0', '0', '2']);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('product-status')).toHaveAttribute('data-status', 'active');

  const context = await browser.newContext();
  const shopper = await context.newPage();
  shopper.on('pageerror', (err) => { throw err; });
  await expect.poll(async () => {
    await shopper.goto(`/search?q=${word}`);
    return shopper.getByTestId('product-card').count();
  }, { timeout: 5_000 }).toBe(1);
  await expect.poll(async () => {
    await shopper.goto(`/search?q=olive+${word}`);
    return shopper.getByTestId('product-card').count();
  }, { timeout: 5_000 }).toBe(1);
  await shopper.getByTestId('product-card').getByRole('link').first().click();
  await expect(shopper.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(shopper.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(shopper.getByTestId('option-picker')).toHaveCount(2);
  await expect(shopper.getByTestId('price')).toHaveText('$40.00');
  await expect(shopper.getByTestId('stock')).toHaveText('Only 3 left');
  const mainImage = shopper.getByTestId('main-image');
  await expect(mainImage).not.toHaveAttribute('src', oliveUrl!);
  const value = (option: number, v: string) => shopper.locator(`input[name=option${option}][value="${v}"]`);
  await expect(value(2, 'Olive')).not.toBeChecked();
  await expect(value(2, 'Sand')).toBeChecked();

  // Olive in M: dearer, two left, and the address says which.
  await value(1, 'M').check();
  await expect(shopper.getByTestId('stock')).toHaveText('Out of stock');
  await value(2, 'Olive').check();
  await expect(shopper.getByTestId('price')).toHaveText('$45.00');
  await expect(shopper.getByTestId('stock')).toHaveText('Only 2 left');
  await expect(mainImage).toHaveAttribute('src', oliveUrl!);
  await expect(shopper).toHaveURL(/\?variant=\d+$/);
  // M in Sand has no stock: the picker says so and the button waits.
  await value(2, 'Sand').check();
  await expect(shopper.getByTestId('stock')).toHaveText('Out of stock');
  await expect(shopper.getByTestId('add-to-cart')).toBeDisabled();
  await expect(shopper.getByTestId('option-value').filter({ hasText: 'M' }).first()).toHaveAttribute('data-state', 'sold-out');
  await value(2, 'Olive').check();
  const olive = shopper.url();
  await shopper.reload();
  await expect(shopper.getByTestId('price')).toHaveText('$45.00');
  await expect(shopper.locator('body')).toHaveAttribute('data-hydrated', 'true');
  expect(shopper.url()).toBe(olive);

  // In its category too.
  const product = shopper.url();
  const aisle = await shopper.locator('nav.breadcrumbs a').last().getAttribute('href');
  await shopper.goto(`${aisle}?sort=newest`);
  await expect(shopper.getByTestId('product-card').filter({ hasText: name })).toHaveCount(1);
  await shopper.goto(product);
  await expect(shopper.locator('body')).toHaveAttribute('data-hydrated', 'true');

  await shopper.getByTestId('add-to-cart').click();
  await expect(shopper.getByTestId('cart-count')).toHaveText('1');
  await shopper.goto('/cart');
  await expect(shopper.getByTestId('line-variant')).toHaveText('M / Olive');
  await shopper.goto('/checkout');
  await placeOrder(shopper, `variant-buyer-${word}@example.com`);
  await payWith(shopper, '4242 4242 4242 4242');
  await expect(shopper.getByTestId('order-status')).toHaveAttribute('data-status', 'paid');
  await expect(shopper.getByText(`1 × ${name} (M / Olive)`)).toBeVisible();
  await context.close();

  await page.goto(editor);
  await expect(page.getByTestId('variant-row').getByTestId('variant-stock')).toHaveText(['3', '0', '0', '1']);
  await page.getByTestId('variant-row').nth(3).getByTestId('variant-stock').click();
  await expect(page.getByTestId('stock-now')).toHaveText('1');
  await expect(page.getByTestId('ledger').locator('tbody tr').first()).toContainText('Reserved by an order');
  await page.getByLabel('Change (e.g. 12 or -3)').fill('4');
  await page.getByLabel('Reason').selectOption('received');
  await page.getByTestId('adjust').click();
  await expect(page.getByTestId('variant-row').getByTestId('variant-stock')).toHaveText(['3', '0', '0', '5']);
});

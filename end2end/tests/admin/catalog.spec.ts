import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { buyOpenProduct } from '../shop/shop';

// The back office's catalog from a merchant's browser: an admin creates a
// product (a draft), receives stock for it, publishes it; a shopper finds it
// in search within seconds and buys one; the admin sees the sale in the
// ledger and the stock go down.
test('an admin creates, stocks and publishes a product that a shopper then buys', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `qz${Date.now().toString(36)}${info.project.name[0]}`;
  const name = `Walnut Tray ${word}`;
  await createStaff(page, `merchant-${word}@example.com`, 'merchant pass phrase 1');
  await enrolTwoStep(page, 'merchant pass phrase 1');

  await page.getByTestId('admin-link').click();
  await expect(page).toHaveURL(/\/admin\/products$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('new-product').click();
  await expect(page.getByTestId('editor-title')).toHaveText('New product');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.locator('#input-description').fill('Oiled walnut, one piece.\n\nMade to last.');
  await page.getByLabel('Brand').selectOption({ index: 1 });
  await page.getByLabel('Category').selectOption({ index: 2 });
  await page.getByLabel('Price (e.g. 19.99)').fill('34.00');
  await page.getByTestId('save-product').click();
  await expect(page).toHaveURL(/\/admin\/products\/\d+$/);
  await expect(page.getByTestId('product-status')).toHaveAttribute('data-status', 'draft');

  await page.getByLabel('Change (e.g. 12 or -3)').fill('5');
  await page.getByLabel('Reason').selectOption('received');
  await page.getByTestId('adjust').click();
  await expect(page.getByTestId('stock-now')).toHaveText('5');
  await expect(page.getByTestId('ledger').locator('tbody tr').first()).toContainText('Goods received');

  await page.getByTestId('publish').click();
  await expect(page.getByTestId('product-status')).toHaveAttribute('data-status', 'active');

  const context = await browser.newContext();
  const shopper = await context.newPage();
  await expect.poll(async () => {
    await shopper.goto(`/search?q=${word}`);
    return shopper.getByTestId('product-card').count();
  }, { timeout: 5_000 }).toBe(1);
  await shopper.getByTestId('product-card').getByRole('link').first().click();
  await expect(shopper.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(shopper.getByTestId('price')).toHaveText('$34.00');
  await buyOpenProduct(shopper, `buyer-${word}@example.com`);
  await context.close();

  await page.reload();
  await expect(page.getByTestId('stock-now')).toHaveText('4');
  await expect(page.getByTestId('ledger').locator('tbody tr').first()).toContainText('Reserved by an order');
});

// Bad input stays on the form with the server's sentence; nothing is saved.
test('the product editor explains what is wrong with a price', async ({ page }, info) => {
  page.on('pageerror', (err) => { throw err; });
  const word = `qy${Date.now().toString(36)}${info.project.name[0]}`;
  await createStaff(page, `editor-${word}@example.com`, 'editor pass phrase 1');
  await enrolTwoStep(page, 'editor pass phrase 1');
  await page.goto('/admin/products/new');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Name', { exact: true }).fill(`Stool ${word}`);
  await page.getByLabel('Brand').selectOption({ index: 1 });
  await page.getByLabel('Category').selectOption({ index: 2 });
  await page.getByLabel('Price (e.g. 19.99)').fill('-4');
  await page.getByTestId('save-product').click();
  await expect(page.getByTestId('form-error')).toHaveText('The price cannot be negative.');
  await expect(page).toHaveURL(/\/admin\/products\/new$/);
  await page.goto(`/admin/products?q=${word}`);
  await expect(page.getByTestId('product-count')).toHaveText('0 products');
});

// Bulk actions: two drafts found by search, checked, published at once,
// then their prices cut by 10 %; the list says what was done.
test('an admin publishes two drafts and cuts their prices in bulk from the list', async ({ page, baseURL }, info) => {
  test.setTimeout(90_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `qx${Date.now().toString(36)}${info.project.name[0]}`;
  await createStaff(page, `bulk-${word}@example.com`, 'bulk pass phrase 1');
  await enrolTwoStep(page, 'bulk pass phrase 1');
  const editor = await (await page.request.get('/api/admin/product?id=0')).json();
  for (const name of [`Oak Stool ${word}`, `Ash Stool ${word}`]) {
    const saved = await page.request.post('/api/admin/products/save', {
      headers: { Origin: baseURL! },
      form: {
        id: '0', version: '0', 'input[name]': name, 'input[brand]': String(editor.choices.brands[0].id),
        'input[category]': String(editor.choices.categories[1].id), 'input[price]': '20.00', 'input[currency]': 'USD',
        'input[description]': 'Solid wood.',
      },
      maxRedirects: 0,
    });
    expect(saved.status()).toBeLessThan(400);
  }
  await page.goto(`/admin/products?q=${word}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('product-count')).toHaveText('2 products');
  await page.getByLabel(`Select Oak Stool ${word}`).check();
  await page.getByLabel(`Select Ash Stool ${word}`).check();
  await page.getByTestId('bulk-action').selectOption('publish');
  await page.getByTestId('bulk-apply').click();
  await expect(page.getByTestId('form-done')).toHaveText('2 products changed.');
  await expect(page.getByTestId('product-table').locator('.status-active')).toHaveCount(2);

  await page.getByLabel(`Select Oak Stool ${word}`).check();
  await page.getByLabel(`Select Ash Stool ${word}`).check();
  await page.getByTestId('bulk-action').selectOption('price');
  await page.getByLabel('Price change in % (e.g. -15)').fill('-10');
  await page.getByTestId('bulk-apply').click();
  await expect(page.getByTestId('form-done')).toHaveText('2 products changed.');
  await expect(page.getByTestId('product-table').getByText('$18.00')).toHaveCount(2);

  // The catalog downloads as CSV, the new prices in it.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-products').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^products-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await import('fs')).readFileSync(await file.path(), 'utf8');
  expect(csv.startsWith('handle,name,status,brand,category,')).toBeTruthy();
  const lines = csv.split('\r\n').filter((l) => l.includes(`Stool ${word}`));
  expect(lines).toHaveLength(2);
  for (const line of lines) expect(line).toContain(',active,');
  for (const line of lines) expect(line).toContain(',18.00,');
});

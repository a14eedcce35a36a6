import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { openProduct, placeOrder } from '../shop/shop';

// Taxes from a merchant's browser: an admin adds a tax class and a rate for
// it in one region (its own, so other tests' orders are untouched), puts a
// product in the class from the product editor, and a shopper sending it
// there is charged that rate at checkout and on the order. Bad forms are
// explained and change nothing.

/** "$12.34" → 1234. */
function minor(text: string): number {
  const match = text.replace(/,/g, '').match(/(\d+)\.(\d{2})/);
  if (!match) throw new Error(`no amount in ${text}`);
  return Number(match[1]) * 100 + Number(match[2]);
}

test('an admin adds a tax class and a rate, and checkout charges it', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const stamp = Date.now().toString(36);
  const word = `${stamp}${info.project.name[0]}`.toLowerCase();
  const code = `books-${word}`;
  const region = `${stamp.slice(-2)}${info.project.name[0]}`.toUpperCase();
  await createStaff(page, `taxer-${word}@example.com`, 'taxer pass phrase 1');
  await enrolTwoStep(page, 'taxer pass phrase 1');
  await page.goto('/admin/settings');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  // Bad forms are explained.
  const settings = page.getByTestId('settings-form');
  await settings.getByLabel("Low-stock default: tell me when a variant's stock falls to").fill('-1');
  await page.getByTestId('save-settings').click();
  await expect(settings.getByTestId('form-error')).toContainText('whole number from 0');
  const rates = page.getByTestId('rate-form');
  await rates.getByLabel('Country (two letters, e.g. GB)').fill('NZ');
  await rates.getByLabel('Rate in % (e.g. 20 or 7.25)').fill('120');
  await page.getByTestId('save-rate').click();
  await expect(rates.getByTestId('form-error')).toContainText('from 0 to 100');

  // A class, then its rate in one region of New Zealand.
  const classes = page.getByTestId('class-form');
  await classes.getByLabel('Code (lowercase letters, digits, hyphens; e.g. books)').fill(code);
  await classes.getByLabel('Name (e.g. Books and newspapers)').fill(`Books ${word}`);
  await page.getByTestId('add-class').click();
  await expect(page.locator(`[data-class="${code}"]`)).toContainText('0 products');
  await rates.getByLabel('Country (two letters, e.g. GB)').fill('nz');
  await rates.getByLabel('Region (e.g. CA; empty: the whole country)').fill(region);
  await rates.getByLabel('Tax class').selectOption(code);
  await rates.getByLabel('Rate in % (e.g. 20 or 7.25)').fill('12.5');
  await page.getByTestId('save-rate').click();
  await expect(page.locator(`[data-rate="NZ-${region} ${code} 12.5%"]`)).toBeVisible();

  // A product goes into the class from its editor.
  const context = await browser.newContext();
  const shopper = await context.newPage();
  // Each project its own product: both run at once.
  await openProduct(shopper, info.project.name === 'desktop' ? 'garden-diy' : 'toys-games');
  const product = await shopper.locator('input[name="product"]').first().getAttribute('value');
  const price = minor(await shopper.getByTestId('price').innerText());
  await page.goto(`/admin/products/${product}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Tax class (its rate per destination: Settings)').selectOption(code);
  const saved = page.waitForResponse((r) => r.url().includes('/api/admin/products/save'));
  await page.getByTestId('save-product').click();
  expect((await saved).status()).toBeLessThan(400);
  await page.goto('/admin/settings');
  await expect(page.locator(`[data-class="${code}"]`)).toContainText('1 product');

  // The shopper sends it to that region: 12.5% on the goods, nothing on shipping (no rate for New Zealand).
  await expect(shopper.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await shopper.getByTestId('add-to-cart').click();
  await expect(shopper.getByTestId('cart-count')).toHaveText('1');
  await shopper.goto(`/checkout?country=NZ&region=${region}`);
  const tax = Math.floor((price * 1250 + 5000) / 10000);
  await expect(shopper.getByTestId('tax')).toHaveText(`$${Math.floor(tax / 100)}.${String(tax % 100).padStart(2, '0')}`);
  await placeOrder(shopper, `taxed-${word}@example.com`);
  expect(minor(await shopper.getByTestId('tax').innerText())).toBe(tax);
  await context.close();
});

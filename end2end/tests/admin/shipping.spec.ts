import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { addOpenProduct, openProduct, payWith, placeOrder } from '../shop/shop';

// Shipping zones from a merchant's browser: an admin makes a zone of one
// region (its own, so other tests' orders are untouched) with a courier
// method, and a promo code; a shopper sending there is offered only that
// courier, uses the code and pays.

test('an admin creates a shipping zone and a promo code, and a shopper uses both', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const stamp = Date.now().toString(36);
  const word = `${stamp}${info.project.name[0]}`.toUpperCase();
  const region = `${stamp.slice(-2)}${info.project.name[0]}`.toUpperCase();
  await createStaff(page, `shipper-${word.toLowerCase()}@example.com`, 'shipper pass phrase 1');
  await enrolTwoStep(page, 'shipper pass phrase 1');
  await page.goto('/admin/shipping');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  // A bad place is explained; then the zone.
  await page.getByText('New zone').click();
  const form = page.getByTestId('new-zone');
  await form.getByLabel('Zone name').fill(`Outback ${word}`);
  await form.getByLabel('Places (e.g. GB, DE, US-CA; * for everywhere else)').fill('AUS');
  await page.getByTestId('create-zone').click();
  await expect(page.getByTestId('form-error').first()).toContainText('is not a place');
  await form.getByLabel('Places (e.g. GB, DE, US-CA; * for everywhere else)').fill(`au-${region}`);
  await page.getByTestId('create-zone').click();
  const zone = page.locator(`[data-zone="Outback ${word}"]`);
  await expect(zone.getByTestId('zone-places')).toHaveText(`AU-${region}`);

  // Its method: flat 7.00, one to two days.
  await zone.getByText('Add a method').click();
  const method = zone.getByTestId('new-method');
  await method.getByLabel('Method name (e.g. Standard)').fill(`Courier ${word}`);
  await method.getByLabel('Price (e.g. 4.99)').fill('7.00');
  await method.getByLabel('Delivery: fewest days').fill('1');
  await method.getByLabel('Delivery: most days').fill('2');
  await zone.getByTestId('add-method').click();
  await expect(zone.getByTestId('method-summary')).toHaveText('Flat $7.00 · 1–2 days');

  // A promo code, 10% off.
  const code = `SHIP${word}`;
  await page.goto('/admin/promos');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const promo = page.getByTestId('new-promo');
  await promo.getByLabel('Code (letters and digits, e.g. SUMMER25)').fill(code);
  await promo.getByLabel('Percentage or amount').fill('10');
  await page.getByTestId('create-promo').click();
  await expect(page.locator(`[data-promo="${code}"]`)).toHaveAttribute('data-state', 'active');

  // The shopper sends an order there: only the zone's courier is offered.
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await openProduct(shopper, 'pets');
  await addOpenProduct(shopper);
  await shopper.goto(`/checkout?country=AU&region=${region}`);
  const methods = shopper.locator('input[type="radio"][name="method"]');
  await expect(methods).toHaveCount(1);
  await expect(shopper.getByText(`Courier ${word} (1–2 days) — $7.00`)).toBeVisible();
  await expect(shopper.getByTestId('shipping')).toHaveText('$7.00');
  await shopper.getByTestId('promo').fill(code.toLowerCase());
  await shopper.getByTestId('update-summary').click();
  await expect(shopper.getByTestId('discount')).toBeVisible();
  await placeOrder(shopper, `outback-${word.toLowerCase()}@example.com`);
  await expect(shopper.getByTestId('shipping')).toHaveText('$7.00');
  await expect(shopper.getByTestId('discount')).toBeVisible();
  await payWith(shopper, '4242 4242 4242 4242');
  await expect(shopper.getByTestId('order-status')).toHaveAttribute('data-status', 'paid');
  await context.close();
});

import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { buyOpenProduct, openProduct } from '../shop/shop';

// The order desk from a merchant's browser: an admin cancels a paid order
// with a reason; the shopper's order page shows it cancelled and refunded.

test('an admin cancels a paid order with a reason and the shopper sees it refunded', async ({ page, browser }, info) => {
  test.setTimeout(90_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `${Date.now().toString(36)}${info.project.name[0]}`;
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await openProduct(shopper, 'pets');
  const number = await buyOpenProduct(shopper, `desk-${word}@example.com`);

  await createStaff(page, `desk-${word}@example.com`.replace('desk-', 'desk-admin-'), 'desk pass phrase 1');
  await enrolTwoStep(page, 'desk pass phrase 1');
  await page.goto(`/admin/orders/${number}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const form = page.getByTestId('cancel-form');
  await form.getByLabel('Reason for the shopper').fill('Sold out at our supplier, sorry.');
  await page.getByTestId('cancel-order').click();
  // The confirmation is required first.
  await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'paid');
  await page.getByTestId('confirm-cancel').check();
  await page.getByTestId('cancel-order').click();
  await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('cancel-form')).toHaveCount(0);

  await shopper.reload();
  await expect(shopper.getByTestId('order-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(shopper.getByTestId('payment-status')).toHaveAttribute('data-status', 'refunded');
  await context.close();
});

import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { buyOpenProduct, openProduct } from './shop';

// Buy → pack and ship (admin) → the customer's open order page updates by itself →
// deliver → return → refund, with the shopper and the admin in two browsers.
test('an order goes from purchase to a refunded return while the customer watches', async ({ page, browser }, info) => {
  test.setTimeout(90_000);
  page.on('pageerror', (err) => { throw err; });
  await openProduct(page, 'home-kitchen');
  const number = await buyOpenProduct(page, `watcher-${info.project.name}-${Date.now()}@example.com`);
  const status = page.getByTestId('order-status');

  const staff = await browser.newContext();
  const admin = await staff.newPage();
  await createStaff(admin, `staff-${info.project.name}-${Date.now()}@example.com`, 'warehouse pass phrase 1');
  await enrolTwoStep(admin, 'warehouse pass phrase 1');
  await admin.goto(`/admin/orders/${number}`);
  await expect(admin.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await admin.getByTestId('pack').click();
  await expect(admin.getByTestId('order-status')).toHaveAttribute('data-status', 'processing');
  // No reload: the order page hears of each change and shows it.
  await expect(status).toHaveAttribute('data-status', 'processing');
  await expect(status).toContainText('Being packed');
  await admin.getByLabel('Carrier').fill('DHL');
  await admin.getByLabel('Tracking number').fill(`JD${Date.now()}`);
  await admin.getByTestId('ship').click();
  await expect(admin.getByTestId('order-status')).toHaveAttribute('data-status', 'shipped');

  await expect(status).toHaveAttribute('data-status', 'shipped');
  await expect(page.getByTestId('parcel')).toContainText('DHL');

  await admin.getByTestId('deliver').click();
  await expect(admin.getByTestId('order-status')).toHaveAttribute('data-status', 'delivered');
  await expect(status).toHaveAttribute('data-status', 'delivered');

  await page.getByTestId('return-quantity').first().fill('1');
  await page.getByTestId('return-reason').fill('It arrived with a torn cover');
  await page.getByTestId('request-return').click();
  await expect(status).toHaveAttribute('data-status', 'return-requested');

  await admin.reload();
  await expect(admin.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await admin.getByTestId('approve-return').click();
  await expect(admin.getByTestId('receive-return')).toBeVisible();
  await expect(page.getByTestId('returns')).toContainText('Approved');
  await admin.getByTestId('receive-return').click();
  await expect(admin.getByTestId('order-status')).toHaveAttribute('data-status', 'returned');
  // Large refunds take the password again; giving it for a small one does no harm.
  await admin.getByLabel('Your password (for large refunds)').fill('warehouse pass phrase 1');
  await admin.getByTestId('refund').click();
  await expect(admin.getByTestId('order-status')).toHaveAttribute('data-status', /refunded/);

  await expect(status).toHaveAttribute('data-status', /refunded/);
  await expect(page.getByTestId('refunds')).toContainText('refunded to your card');
  await staff.close();
});

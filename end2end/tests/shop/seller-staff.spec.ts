import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { buyOpenProduct, openSellersProduct } from './shop';

// A marketplace seller's staff member, made on the command line, finds the
// order holding their item from the header, packs and ships it; the
// admin-only forms are not theirs, and the buyer's open page follows along.
test("a seller's staff pack and ship their item while the buyer watches", async ({ page, browser }, info) => {
  test.setTimeout(90_000);
  page.on('pageerror', (err) => { throw err; });
  const seller = await openSellersProduct(page, 'home-kitchen');
  const number = await buyOpenProduct(page, `marketplace-${info.project.name}-${Date.now()}@example.com`);
  const status = page.getByTestId('order-status');

  const context = await browser.newContext();
  const staff = await context.newPage();
  await createStaff(staff, `packer-${info.project.name}-${Date.now()}@example.com`, 'packing pass phrase 1', seller);
  await enrolTwoStep(staff, 'packing pass phrase 1');
  await staff.getByTestId('admin-link').click();
  await expect(staff).toHaveURL(/\/admin\/orders$/);
  await staff.getByRole('link', { name: number }).click();
  await expect(staff.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(staff.getByTestId('refund')).toHaveCount(0);
  await staff.getByTestId('pack').click();
  await expect(staff.getByTestId('order-status')).toHaveAttribute('data-status', 'processing');
  await expect(status).toHaveAttribute('data-status', 'processing');
  await staff.getByLabel('Carrier').fill('GLS');
  await staff.getByLabel('Tracking number').fill(`GLS${Date.now()}`);
  await staff.getByTestId('ship').click();
  await expect(staff.getByTestId('order-status')).toHaveAttribute('data-status', 'shipped');
  await expect(staff.getByTestId('deliver')).toHaveCount(0);
  await expect(status).toHaveAttribute('data-status', 'shipped');
  await expect(page.getByTestId('parcel')).toContainText('GLS');
  await context.close();
});

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

// The desk's list and notes: an admin finds the order by the buyer's email
// and payment, downloads the selection as CSV, starts packing it from the
// list, prints its packing slip, writes a note and sends the shopper's
// confirmation again.
test('an admin finds, exports, packs and prints an order, notes it and mails the shopper again', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `${Date.now().toString(36)}${info.project.name[0]}`;
  const buyer = `desk2-${word}@example.com`;
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await openProduct(shopper, 'pets');
  const number = await buyOpenProduct(shopper, buyer);
  await context.close();

  await createStaff(page, `desk2-admin-${word}@example.com`, 'desk pass phrase 2');
  await enrolTwoStep(page, 'desk pass phrase 2');
  await page.goto('/admin/orders');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const filters = page.getByTestId('order-filters');
  await filters.getByTestId('order-search').fill(buyer);
  await filters.getByTestId('payment-filter').selectOption('paid');
  await filters.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/payment=paid/);
  await expect(page.getByTestId('order-count')).toContainText('1 order');
  const row = page.getByTestId('order-history').locator('tr', { hasText: number });
  await expect(row).toContainText(buyer);
  await expect(row).toContainText('Paid');

  const csvLink = page.getByTestId('export-csv');
  const csv = await page.request.get((await csvLink.getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text.split('\r\n').filter((l) => l).length).toBe(2);
  expect(text).toContain(`${number},`);

  await page.getByLabel(`Pick ${number}`).check();
  await page.getByTestId('bulk-pack').click();
  await expect(page.getByTestId('bulk-news')).toHaveText('1 order moved to packing.');
  await expect(page).toHaveURL(/status=processing/);

  await page.goto(`/admin/orders?status=processing&q=${encodeURIComponent(buyer)}`);
  await page.getByLabel(`Pick ${number}`).check();
  const [slips] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('print-slips').click()]);
  await slips.waitForLoadState();
  await expect(slips.getByTestId('slip')).toHaveCount(1);
  await expect(slips.locator('h1')).toHaveText(`Packing slip ${number}`);
  await slips.close();

  await page.goto(`/admin/orders/${number}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'processing');
  await page.getByTestId('note-form').getByLabel('Add a note').fill('Gift wrap, please.\nRing twice.');
  await page.getByTestId('add-note').click();
  const notes = page.getByTestId('order-notes');
  await expect(notes.locator('li')).toHaveCount(1);
  await expect(notes.locator('li').first()).toContainText('Gift wrap, please.');
  const mails = page.getByTestId('order-mails');
  await expect(mails.locator('tbody tr')).toHaveCount(1);
  await expect(mails).toContainText(`Order ${number} confirmed`);
  await page.getByTestId('resend-mail').click();
  await expect(mails.locator('tbody tr')).toHaveCount(2);
  await expect(notes.locator('li')).toHaveCount(2);
  await expect(notes.locator('li').nth(1)).toContainText(`Sent "Order ${number} confirmed" again to ${buyer}.`);
});

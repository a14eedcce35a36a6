// Wishlists (issue 21): a shopper saves a sold-out variant from its product
// page, staff restock it in the back office, the back-in-stock mail arrives
// and its link leads to the product, now in stock; the mail's unsubscribe
// link works without signing in; the share link shows the list read-only.
import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep, mailText } from '../support';
import { openProduct, register } from './shop';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (err) => { throw err; });
});

test('a sold-out variant on the wishlist comes back in stock and the mail arrives', async ({ page, browser }, info) => {
  test.setTimeout(300_000);
  const stamp = `${info.project.name}-${Date.now()}`;
  const email = `wisher-${stamp}@example.com`;
  await register(page, email);
  // Each project its own department, so the two never change one product.
  await openProduct(page, info.project.name === 'mobile' ? 'sports-outdoors' : 'beauty-health');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const product = await page.locator('form.add-to-cart input[name="product"]').inputValue();
  await page.getByTestId('save-to-wishlist').click();
  await expect(page.getByTestId('form-done')).toHaveText('Saved to your wishlist.');

  // The wishlist names the variant; removing it works.
  await page.goto('/wishlist');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const line = page.getByTestId('wishlist-lines').getByTestId('cart-line');
  await expect(line).toHaveCount(1);
  const href = (await line.getByRole('link').first().getAttribute('href'))!;
  const variant = new URL(href, page.url()).searchParams.get('variant')!;
  await line.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('wishlist-empty')).toBeVisible();

  // Staff sell it out.
  const staff = await browser.newContext();
  const admin = await staff.newPage();
  await createStaff(admin, `keeper-${stamp}@example.com`, 'stock keeper pass 1');
  await enrolTwoStep(admin, 'stock keeper pass 1');
  await admin.goto(`/admin/products/${product}?variant=${variant}#stock`);
  await expect(admin.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const had = Number(await admin.getByTestId('stock-now').innerText());
  await admin.getByLabel('Change (e.g. 12 or -3)').fill(`-${had}`);
  await admin.getByLabel('Reason').selectOption('counted');
  await admin.getByTestId('adjust').click();
  await expect(admin.getByTestId('stock-now')).toHaveText('0');

  // The shopper saves the sold-out variant: it cannot go in the cart, it can
  // be saved. (Another variant is still in stock, so the product page may
  // be its cached copy for up to the cache's 30 s: reload until it shows.)
  await expect(async () => {
    await page.goto(href);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(page.getByTestId('stock')).toHaveText('Out of stock', { timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [2_000] });
  await expect(page.getByTestId('add-to-cart')).toBeDisabled();
  await page.getByTestId('save-to-wishlist').click();
  await expect(page.getByTestId('form-done')).toHaveText('Saved to your wishlist.');
  await page.goto('/wishlist');
  await expect(page.getByTestId('line-stock')).toHaveText('Out of stock');
  await expect(page.getByTestId('alerts-state')).toContainText('We mail you');

  // Staff restock it; the chores' sweep mails the shopper.
  await admin.getByLabel('Change (e.g. 12 or -3)').fill('3');
  await admin.getByLabel('Reason').selectOption('received');
  await admin.getByTestId('adjust').click();
  await expect(admin.getByTestId('stock-now')).toHaveText('3');
  const mail = await mailText(email, 'is back in stock', 60_000);
  const link = mail.match(/https?:\/\/\S+\/p\/\S+/)![0];
  const unsubscribe = mail.match(/https?:\/\/\S+\/wishlist\/unsubscribe\?token=[0-9a-f]+/)![0];
  await expect(async () => {
    await page.goto(link);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(page.getByTestId('stock')).toHaveText('Only 3 left', { timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [2_000] });
  await page.getByTestId('add-to-cart').click();
  await expect(page.getByTestId('cart-count')).toHaveText('1');

  // The unsubscribe link, opened where nobody is signed in.
  const elsewhere = await browser.newContext();
  const stranger = await elsewhere.newPage();
  await stranger.goto(unsubscribe);
  await expect(stranger.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(stranger.getByTestId('alerts-address')).toContainText('@example.com');
  await stranger.getByTestId('unsubscribe').click();
  await expect(stranger.getByTestId('form-done')).toContainText('No more wishlist mails');
  await page.goto('/wishlist');
  await expect(page.getByTestId('alerts-state')).toHaveText('Mails about your wishlist are off.');

  // Shared read-only: a friend sees it and can only add it to their own cart.
  await page.getByTestId('share').click();
  const shareUrl = await page.getByTestId('share-url').inputValue();
  await stranger.goto(shareUrl);
  await expect(stranger.getByTestId('shared-heading')).toHaveText('Grace Hopper’s wishlist');
  await expect(stranger.getByTestId('shared-lines').getByTestId('cart-line')).toHaveCount(1);
  await expect(stranger.getByRole('button', { name: 'Remove' })).toHaveCount(0);
  await staff.close();
  await elsewhere.close();
});

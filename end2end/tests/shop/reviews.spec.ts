// Reviews (issue 21): a delivered order's buyer writes a review from the
// product page, the moderator publishes it in the back office, and the
// product page's rating and JSON-LD count it, and the reviews page shows it
// with the verified-purchase mark.
import { test, expect, Page } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { buyOpenProduct, openProduct, register } from './shop';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (err) => { throw err; });
});

/**
 * The product of the JSON-LD of the page as the server sent it (a page
 * reached inside the app has none: search engines load pages whole).
 */
async function productData(page: Page) {
  const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
  const graph = blocks.filter((b) => b.trim()).flatMap((b) => JSON.parse(b)['@graph'] ?? []);
  return graph.find((node: { '@type': string }) => node['@type'] === 'Product');
}

test('a buyer reviews a delivered product, the moderator publishes it, the product page shows it', async ({ page, browser }, info) => {
  test.setTimeout(150_000);
  const stamp = `${info.project.name}-${Date.now()}`;
  const email = `reviewer-${stamp}@example.com`;
  await register(page, email);
  await openProduct(page, 'home-kitchen');
  const productPath = new URL(page.url()).pathname;
  await page.goto(productPath);
  const countBefore = (await productData(page)).aggregateRating?.ratingCount ?? 0;
  const number = await buyOpenProduct(page, email);

  // Staff deliver the order.
  const staff = await browser.newContext();
  const admin = await staff.newPage();
  await createStaff(admin, `moderator-${stamp}@example.com`, 'moderator pass phrase 1');
  await enrolTwoStep(admin, 'moderator pass phrase 1');
  await admin.goto(`/admin/orders/${number}`);
  await expect(admin.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await admin.getByTestId('pack').click();
  await expect(admin.getByTestId('order-status')).toHaveAttribute('data-status', 'processing');
  await admin.getByLabel('Carrier').fill('DHL');
  await admin.getByLabel('Tracking number').fill(`RV${Date.now()}`);
  await admin.getByTestId('ship').click();
  await expect(admin.getByTestId('order-status')).toHaveAttribute('data-status', 'shipped');
  await admin.getByTestId('deliver').click();
  await expect(admin.getByTestId('order-status')).toHaveAttribute('data-status', 'delivered');

  // The buyer writes a review from the product page.
  const title = `Sturdy and handsome ${stamp}`;
  await page.goto(productPath);
  await page.getByTestId('write-review').click();
  await expect(page).toHaveURL(new RegExp(`/account/reviews/`));
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('4 stars').check();
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Your review').fill('Solid build.\n\nIt has earned its place on the counter.');
  await page.getByTestId('send-review').click();
  await expect(page.getByTestId('form-done')).toContainText('moderator');
  await expect(page.getByTestId('review-state')).toHaveAttribute('data-state', 'pending');

  // The moderator publishes it.
  await admin.goto('/admin/reviews');
  await expect(admin.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const row = admin.getByTestId('moderation-row').filter({ hasText: title });
  await expect(row).toContainText('Verified purchase');
  await row.getByTestId('publish-review').click();
  await expect(admin.getByTestId('moderation-row').filter({ hasText: title })).toHaveCount(0);
  await staff.close();

  // The product page (the same for every shopper) follows: its rating and
  // JSON-LD count the review (the page shows the most helpful three).
  const shopper = await browser.newPage();
  await expect(async () => {
    await shopper.goto(productPath);
    const data = await productData(shopper);
    expect(data.aggregateRating?.ratingCount ?? 0).toBeGreaterThan(countBefore);
  }).toPass({ timeout: 15_000 });
  await expect(shopper.getByTestId('reviews-average')).toBeVisible();
  expect((await productData(shopper)).review.length).toBeGreaterThanOrEqual(1);

  // All reviews, newest first: ours with the verified mark.
  await shopper.getByTestId('all-reviews').click();
  await expect(shopper.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await shopper.getByRole('link', { name: 'Newest' }).click();
  await expect(shopper).toHaveURL(/sort=newest/);
  const review = shopper.getByTestId('review').filter({ hasText: title });
  await expect(review).toBeVisible();
  await expect(review).toContainText('Verified purchase');
  await expect(review).toContainText('Grace H.');
  await expect(review).toContainText('It has earned its place on the counter.');
});

import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { buyOpenProduct, openProduct } from '../shop/shop';

// The dashboard from an admin's browser, on a desktop and a phone: after a
// shopper pays, today's figures count the order, the charts are drawn as SVG
// (a bar for each day of the period chosen), the funnel lists its four steps,
// and a range that ends before it starts is refused with a sentence. On a
// phone nothing is wider than the screen.

test('an admin reads today and the last 30 days on the dashboard', async ({ page, browser }, info) => {
  test.setTimeout(90_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `${Date.now().toString(36)}${info.project.name[0]}`;
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await openProduct(shopper, 'pets');
  await buyOpenProduct(shopper, `dash-${word}@example.com`);
  await context.close();

  await createStaff(page, `dash-admin-${word}@example.com`, 'dash pass phrase 1');
  await enrolTwoStep(page, 'dash pass phrase 1');
  await page.goto('/admin/analytics?period=today');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('admin-nav-analytics')).toHaveAttribute('aria-current', 'page');
  const orders = Number((await page.getByTestId('kpi-orders').locator('.kpi-value').textContent()) ?? '0');
  expect(orders).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('kpi-revenue').locator('.kpi-value')).toContainText('$');
  await expect(page.getByTestId('orders-chart').locator('svg rect.bar')).toHaveCount(1);
  await expect(page.getByTestId('revenue-chart').locator('svg polyline')).toHaveCount(1);
  await expect(page.getByTestId('top-products').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('funnel').locator('li')).toHaveCount(4);
  await expect(page.getByTestId('funnel')).toContainText('Paid');

  // Thirty days: a bar a day, chosen from the form.
  await page.getByTestId('period').selectOption('30d');
  await page.getByTestId('show-period').click();
  await expect(page).toHaveURL(/period=30d/);
  await expect(page.getByTestId('orders-chart').locator('svg rect.bar')).toHaveCount(30);
  const svg = await page.getByTestId('orders-chart').locator('svg').boundingBox();
  expect(svg && svg.width > 100 && svg.height > 50).toBeTruthy();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(wide).toBeLessThanOrEqual(0);

  // A range that ends before it starts.
  await page.getByTestId('period').selectOption('custom');
  await page.getByTestId('from').fill('2026-02-10');
  await page.getByTestId('to').fill('2026-02-01');
  await page.getByTestId('show-period').click();
  await expect(page.locator('main')).toContainText('The range ends before it starts.');
});

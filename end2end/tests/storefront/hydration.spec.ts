import { test, expect } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (err) => { throw err; });
});

test('the product gallery switches images once hydrated', async ({ page }) => {
  await page.goto('/c/electronics');
  const href = await page.getByTestId('product-card').first().getByRole('heading').getByRole('link').getAttribute('href');
  await page.goto(href!);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const main = page.getByTestId('main-image');
  await expect(main).toHaveAttribute('src', /-0\.svg$/);
  await page.getByRole('button', { name: /Show image 2 of/ }).click();
  await expect(main).toHaveAttribute('src', /-1\.svg$/);
  await expect(page.getByRole('button', { name: /Show image 2 of/ })).toHaveAttribute('aria-pressed', 'true');
});

test('sorting and filtering a category update the listing without a full reload', async ({ page }) => {
  await page.goto('/c/home-kitchen');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.evaluate(() => { (window as any).__sameDocument = true; });
  await page.getByTestId('sort-links').getByRole('link', { name: 'Price: low to high' }).click();
  await expect(page).toHaveURL(/\/c\/home-kitchen\?sort=price-asc$/);
  await expect(page.getByTestId('sort-links').locator('[aria-current="true"]')).toHaveText('Price: low to high');
  await page.getByRole('region', { name: 'Availability' }).getByRole('link', { name: /In stock/ }).click();
  await expect(page).toHaveURL(/\/c\/home-kitchen\?stock=1&sort=price-asc$/);
  await expect(page.getByTestId('product-card').first()).toBeVisible();
  await expect(page.getByTestId('product-card').getByText('Out of stock')).toHaveCount(0);
  const prices = await page.locator('.card-price .price').allInnerTexts();
  const cents = prices.map((p) => Number(p.replace(/[^\d]/g, '')));
  expect(cents).toEqual([...cents].sort((a, b) => a - b));
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test('a product page links to its brand, whose page hydrates and lists the brand', async ({ page }) => {
  await page.goto('/c/electronics');
  const href = await page.getByTestId('product-card').first().getByRole('heading').getByRole('link').getAttribute('href');
  await page.goto(href!);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const brand = (await page.getByTestId('brand-link').textContent())!.trim();
  await page.getByTestId('brand-link').click();
  await expect(page).toHaveURL(/\/b\/[a-z0-9-]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(brand);
  await expect(page.getByTestId('product-card').first()).toBeVisible();
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.evaluate(() => { (window as any).__sameDocument = true; });
  await page.getByTestId('sort-links').getByRole('link', { name: 'Price: low to high' }).click();
  await expect(page).toHaveURL(/\/search\?brand=.+&sort=price-asc$/);
  await expect(page.getByTestId('product-card').first()).toBeVisible();
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test('the menu button opens the category navigation on small screens', async ({ page, isMobile }) => {
  test.skip(!isMobile, 'the button is hidden on wide screens');
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const toggle = page.getByTestId('menu-toggle');
  const nav = page.getByRole('navigation', { name: 'Categories' });
  await expect(nav).toBeHidden();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Pets' })).toBeVisible();
});

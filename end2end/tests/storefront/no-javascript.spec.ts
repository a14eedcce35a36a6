import { test, expect } from '@playwright/test';

test.use({ javaScriptEnabled: false });

test('a product page is complete without JavaScript', async ({ page }) => {
  await page.goto('/c/pets');
  const link = page.getByTestId('product-card').first().getByRole('heading').getByRole('link');
  const name = (await link.innerText()).trim();
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('price')).toBeVisible();
  await expect(page.getByTestId('main-image')).toBeVisible();
  await expect(page.locator('.attributes dt').first()).toBeVisible();
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
});

test('category sort links work as plain links', async ({ page }) => {
  await page.goto('/c/garden-diy');
  await page.getByTestId('sort-links').getByRole('link', { name: 'Price: high to low' }).click();
  await expect(page).toHaveURL(/\/c\/garden-diy\?sort=price-desc$/);
  const cents = (await page.locator('.card-price .price').allInnerTexts()).map((p) => Number(p.replace(/[^\d]/g, '')));
  expect(cents.length).toBeGreaterThan(0);
  expect(cents).toEqual([...cents].sort((a, b) => b - a));
});

test('search and its filters work as plain links and a GET form', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('search-input').fill('smartphone');
  await page.getByTestId('search-input').press('Enter');
  await expect(page).toHaveURL(/\/search\?q=smartphone/);
  await expect(page.getByTestId('search-heading')).toHaveText('Results for “smartphone”');
  const brand = page.getByRole('region', { name: 'Brand' }).locator('a.facet-value').first();
  const label = (await brand.locator('.facet-label').innerText()).trim();
  await brand.click();
  await expect(page).toHaveURL(/brand=/);
  const brands = await page.locator('.card-brand').allTextContents();
  expect(brands.length).toBeGreaterThan(0);
  expect(new Set(brands.map((b) => b.trim()))).toEqual(new Set([label]));
});

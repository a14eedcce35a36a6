import { test, expect } from '@playwright/test';

test('a shopper goes from the home page to a category to a product', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/Oxcart/);
  await expect(page.getByRole('heading', { name: 'Featured products' })).toBeVisible();

  await page.locator('.category-tiles').getByRole('link', { name: /Electronics/ }).click();
  await expect(page).toHaveURL(/\/c\/electronics$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Electronics' })).toBeVisible();
  await expect(page).toHaveTitle('Electronics | Oxcart');
  await expect(page.getByTestId('result-count')).toContainText('Showing 1–24 of');

  const card = page.getByTestId('product-card').first();
  const name = (await card.getByRole('heading').innerText()).trim();
  await card.getByRole('heading').getByRole('link').click();
  await expect(page).toHaveURL(/\/p\/[a-z0-9-]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('price')).toHaveText(/^\$[\d,]+\.\d\d$/);
  await expect(page.getByTestId('stock')).toHaveText(/In stock|Only \d left|Out of stock/);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('Electronics');
  await expect(page).toHaveTitle(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — `));
  const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
  expect(canonical).toMatch(/\/p\/[a-z0-9-]+$/);
});

test('pagination moves through a category', async ({ page }) => {
  await page.goto('/c/fashion');
  const firstPage = await page.getByTestId('product-card').first().getByRole('heading').innerText();
  await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: 'Page 2' }).click();
  await expect(page).toHaveURL(/\?page=2$/);
  await expect(page.getByTestId('result-count')).toContainText('Showing 25–48');
  await expect(page.getByTestId('product-card').first().getByRole('heading')).not.toHaveText(firstPage);
});

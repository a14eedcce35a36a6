import { test, expect } from '@playwright/test';

test('an unknown product is a 404 page with a way back', async ({ page }) => {
  const response = await page.goto('/p/this-product-does-not-exist');
  expect(response!.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the shop' }).click();
  await expect(page.getByRole('heading', { name: 'Featured products' })).toBeVisible();
});

test('an unknown address is a 404 page', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response!.status()).toBe(404);
  await expect(page.getByTestId('error-page')).toBeVisible();
});

test('a page number that is not a number is a 400 page', async ({ page }) => {
  const response = await page.goto('/c/pets?page=banana');
  expect(response!.status()).toBe(400);
  await expect(page.getByTestId('error-page')).toContainText('is not a page number');
});

import { test, expect, Page } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (err) => { throw err; });
});

const productLinks = (page: Page) =>
  page.getByTestId('product-card').getByRole('heading').getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

test('autocomplete suggests products for a misspelled word and the keyboard picks one', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const input = page.getByTestId('search-input');
  await input.pressSequentially('labtop', { delay: 40 });
  const list = page.getByRole('listbox', { name: 'Suggestions' });
  await expect(list).toBeVisible();
  await expect(input).toHaveAttribute('aria-expanded', 'true');
  const first = list.getByRole('option').first();
  await expect(first).toContainText(/Laptop|Notebook|Ultrabook/);
  await input.press('ArrowDown');
  await expect(input).toHaveAttribute('aria-activedescendant', 'suggestion-0');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  const href = await first.getByRole('link').getAttribute('href');
  await input.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Laptop|Notebook|Ultrabook/);
});

test('search, page, filter by two facets, sort, and share the URL', async ({ page, browser }) => {
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('search-input').fill('labtop');
  await page.getByTestId('search-input').press('Enter');
  await expect(page).toHaveURL(/\/search\?q=labtop/);
  await expect(page.getByTestId('result-count')).toContainText(/of \d+/);
  await page.evaluate(() => { (window as any).__sameDocument = true; });

  await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: 'Next ›' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId('result-count')).toContainText('Showing 25–');

  const brand = page.getByRole('region', { name: 'Brand' }).locator('a.facet-value').first();
  const brandName = (await brand.locator('.facet-label').innerText()).trim();
  await brand.click();
  await expect(page).toHaveURL(/brand=/);
  await expect(page).not.toHaveURL(/page=2/);
  const colour = page.getByRole('region', { name: 'Colour' }).locator('a.facet-value').first();
  await colour.click();
  await expect(page).toHaveURL(/attr=Colour/);
  await expect(page.getByRole('region', { name: 'Colour' }).locator('a.facet-value.selected')).toHaveCount(1);

  await page.getByTestId('sort-links').getByRole('link', { name: 'Price: low to high' }).click();
  await expect(page).toHaveURL(/sort=price-asc/);
  await expect(page.getByTestId('sort-links').locator('[aria-current="true"]')).toHaveText('Price: low to high');
  const cents = (await page.locator('.card-price .price').allInnerTexts()).map((p) => Number(p.replace(/[^\d]/g, '')));
  expect(cents.length).toBeGreaterThan(0);
  expect(cents).toEqual([...cents].sort((a, b) => a - b));
  const brands = await page.locator('.card-brand').allTextContents();
  expect(new Set(brands.map((b) => b.trim()))).toEqual(new Set([brandName]));
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  const shared = page.url();
  const links = await productLinks(page);
  const other = await browser.newPage();
  await other.goto(shared);
  expect(await productLinks(other)).toEqual(links);
  await other.close();
});

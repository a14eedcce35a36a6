import { test, expect, Page } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { png } from './pictures';

// The back office's category tree and brands (with a brand's page) from a merchant's browser.

async function signedInAdmin(page: Page, word: string) {
  await createStaff(page, `shaper-${word}@example.com`, 'shaper pass phrase 1');
  await enrolTwoStep(page, 'shaper pass phrase 1');
}

async function newCategory(page: Page, name: string, department?: string) {
  await page.getByTestId('new-category').click();
  await expect(page.getByTestId('editor-title')).toHaveText('New category');
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (department) await page.getByLabel('Department').selectOption({ label: department });
  await page.getByTestId('save-category').click();
  await expect(page).toHaveURL(/\/admin\/categories$/);
}

test('an admin adds a department with two aisles, orders them, and shoppers see them', async ({ page, browser }, info) => {
  test.setTimeout(90_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `qc${Date.now().toString(36)}${info.project.name[0]}`;
  await signedInAdmin(page, word);
  await page.goto('/admin/categories');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await newCategory(page, `Garden ${word}`);
  await expect(page.locator(`[data-category="garden-${word}"]`)).toBeVisible();
  await newCategory(page, `Planters ${word}`, `Garden ${word}`);
  await newCategory(page, `Seeds ${word}`, `Garden ${word}`);

  const aisles = page.locator(`li:has(> [data-category="garden-${word}"]) .aisles [data-category]`);
  await expect(aisles).toHaveCount(2);
  await expect(aisles.nth(0)).toHaveAttribute('data-category', `planters-${word}`);
  await page.getByRole('button', { name: `Move Seeds ${word} up` }).click();
  await expect(aisles.nth(0)).toHaveAttribute('data-category', `seeds-${word}`);

  const context = await browser.newContext();
  const shopper = await context.newPage();
  await expect.poll(async () => {
    await shopper.goto('/');
    return shopper.locator(`a[href="/c/garden-${word}"]`).count();
  }, { timeout: 5_000 }).toBeGreaterThan(0);
  await shopper.goto(`/c/seeds-${word}`);
  await expect(shopper.getByRole('heading', { level: 1 })).toHaveText(`Seeds ${word}`);
  await expect(shopper.locator(`a[href="/c/garden-${word}"]`).first()).toBeAttached();
  await context.close();

  // A department with an aisle cannot be deleted; an empty aisle can, after a confirmation.
  await page.getByRole('link', { name: `Garden ${word}`, exact: true }).click();
  await expect(page.getByTestId('cannot-delete')).toContainText('aisle');
  await page.goto('/admin/categories');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('link', { name: `Seeds ${word}`, exact: true }).click();
  await expect(page.getByTestId('editor-title')).toHaveText(`Seeds ${word}`);
  await page.getByTestId('confirm-delete').check();
  await page.getByTestId('delete').click();
  await expect(page).toHaveURL(/\/admin\/categories$/);
  await expect(aisles).toHaveCount(1);
});

test('an admin adds, renames, describes, pictures and deletes a brand; a clash is explained; the brand has its page', async ({ page }, info) => {
  test.setTimeout(90_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `qb${Date.now().toString(36)}${info.project.name[0]}`;
  await signedInAdmin(page, word);
  await page.goto('/admin/brands');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('New brand').fill(`Nordlicht ${word}`);
  await page.getByTestId('create-brand').click();
  const row = page.locator(`[data-brand="nordlicht-${word}"]`);
  await expect(row).toBeVisible();

  await page.getByLabel('New brand').fill(`Nordlicht ${word}`);
  await page.getByTestId('create-brand').click();
  await expect(page.getByTestId('form-error')).toContainText('already');

  await row.getByLabel(`Name of Nordlicht ${word}`).fill(`Polaris ${word}`);
  await row.getByTestId('save-brand').click();
  await expect(row.getByLabel(`Name of Polaris ${word}`)).toHaveValue(`Polaris ${word}`);

  // Its page in the shop: a description, an SEO title and a picture from its editor.
  await row.getByTestId('edit-brand').click();
  await expect(page.getByTestId('editor-title')).toHaveText(`Polaris ${word}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Description (shown on its page)').fill('Lights for the long northern nights.');
  await page.getByLabel('SEO title (empty: the name)').fill(`Polaris lights ${word}`);
  await page.getByTestId('save-brand').click();
  await expect(page.getByLabel('Description (shown on its page)')).toHaveValue('Lights for the long northern nights.');
  await page.getByTestId('image-file').setInputFiles({ name: 'polaris.png', mimeType: 'image/png', buffer: png(900, 300, 70) });
  await page.getByTestId('upload-image').click();
  await expect(page.getByTestId('category-picture')).toHaveAttribute('srcset', /-900\.png 900w$/);
  await page.getByTestId('view-in-shop').click();
  await expect(page).toHaveURL(new RegExp(`/b/nordlicht-${word}$`)); // renamed, its address kept
  await expect(page).toHaveTitle(`Polaris lights ${word} | Oxcart`);
  await expect(page.getByTestId('brand-page')).toContainText('Lights for the long northern nights.');
  await expect.poll(() => page.getByTestId('listing-picture').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await page.goto('/admin/brands');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await row.getByLabel(`Confirm deleting Polaris ${word}`).check();
  await row.getByTestId('delete-brand').click();
  await expect(row).toHaveCount(0);
});

import { test, expect, Page } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { png, upload } from './pictures';

// Product images from a merchant's browser: an admin uploads two pictures to
// a draft, is told to describe the second before publishing, moves it to the
// front and removes the other; the shopper's product page offers the upload
// at every width. Without JavaScript the same forms work and explain a bad file.

/** Signs in a new admin with two steps and creates a draft called `name`; its editor's path. */
async function draft(page: Page, baseURL: string, email: string, name: string): Promise<string> {
  await createStaff(page, email, 'images pass phrase 1');
  await enrolTwoStep(page, 'images pass phrase 1');
  const editor = await (await page.request.get('/api/admin/product?id=0')).json();
  const saved = await page.request.post('/api/admin/products/save', {
    headers: { Origin: baseURL },
    form: {
      id: '0', version: '0', 'input[name]': name, 'input[brand]': String(editor.choices.brands[0].id),
      'input[category]': String(editor.choices.categories[1].id), 'input[price]': '12.00', 'input[currency]': 'USD',
      'input[description]': 'Turned from one piece of beech.',
    },
    maxRedirects: 0,
  });
  expect(saved.status()).toBeLessThan(400);
  return `/admin/products/${(await saved.text()).trim()}`;
}


test('an admin uploads, describes, reorders (buttons and drag and drop) and removes images, and the shop shows them', async ({ page, browser, baseURL }, info) => {
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `qi${Date.now().toString(36)}${info.project.name[0]}`;
  const editor = await draft(page, baseURL!, `images-${word}@example.com`, `Beech Bowl ${word}`);
  await page.goto(editor);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('no-images')).toBeVisible();

  await upload(page, png(900, 600, 10), 'The bowl from above');
  await expect(page.getByTestId('image-item')).toHaveCount(1);
  await upload(page, png(700, 700, 200), '');
  await expect(page.getByTestId('image-item')).toHaveCount(2);
  await expect(page).toHaveURL(new RegExp(`${editor}(#images)?$`));
  await expect(page.getByTestId('missing')).toContainText('alt text for every image');

  const second = page.getByTestId('image-item').nth(1);
  const secondUrl = await second.getAttribute('data-url');
  await second.getByTestId('alt-input').fill('The bowl from the side');
  await second.getByTestId('save-alt').click();
  await expect(page.getByTestId('missing')).toHaveCount(0);
  await page.getByTestId('image-item').nth(1).getByTestId('move-earlier').click();
  await expect(page.getByTestId('image-item').first()).toHaveAttribute('data-url', secondUrl!);
  // Dragged onto the second place and back to the first.
  const items = page.getByTestId('image-item');
  await items.first().dragTo(items.nth(1));
  await expect(items.nth(1)).toHaveAttribute('data-url', secondUrl!);
  await items.nth(1).dragTo(items.first());
  await expect(items.first()).toHaveAttribute('data-url', secondUrl!);
  const last = page.getByTestId('image-item').nth(1);
  await last.getByTestId('confirm-remove').check();
  await last.getByTestId('remove-image').click();
  await expect(page.getByTestId('image-item')).toHaveCount(1);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('product-status')).toHaveAttribute('data-status', 'active');

  const context = await browser.newContext();
  const shopper = await context.newPage();
  const href = await page.getByTestId('view-in-shop').getAttribute('href') ?? '/';
  const main = shopper.getByTestId('main-image');
  await expect.poll(async () => {
    await shopper.goto(href);
    return (await main.count()) ? await main.getAttribute('alt') ?? '' : '';
  }, { timeout: 10_000 }).toBe('The bowl from the side');
  await expect(main).toHaveAttribute('srcset', /-160\.png 160w, .*-700\.png 700w$/);
  await expect(main).toHaveAttribute('width', '700');
  await expect.poll(() => main.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await context.close();
});

test('without JavaScript the upload form works and explains a file that is no picture', async ({ page, browser, baseURL }, info) => {
  test.setTimeout(90_000);
  const word = `qj${Date.now().toString(36)}${info.project.name[0]}`;
  const editor = await draft(page, baseURL!, `plain-${word}@example.com`, `Beech Spoon ${word}`);
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await context.newPage();
  await plain.goto(editor);
  await plain.getByTestId('image-file').setInputFiles({ name: 'evil.png', mimeType: 'image/png', buffer: Buffer.from('<script>alert(1)</script>') });
  await plain.getByTestId('upload-image').click();
  await expect(plain.getByTestId('upload-form').getByTestId('form-error')).toContainText('not a picture the shop can read');
  await expect(plain.getByTestId('image-item')).toHaveCount(0);

  await plain.getByTestId('image-file').setInputFiles({ name: 'spoon.png', mimeType: 'image/png', buffer: png(400, 300, 90) });
  await plain.getByTestId('image-alt').fill('The spoon');
  await plain.getByTestId('upload-image').click();
  await expect(plain).toHaveURL(new RegExp(`${editor}#images$`));
  await expect(plain.getByTestId('image-item')).toHaveCount(1);
  await expect(plain.getByTestId('alt-input')).toHaveValue('The spoon');
  await context.close();
});

test('an admin gives a new department its own picture for the home page, then takes it back', async ({ page, baseURL }, info) => {
  test.setTimeout(90_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `qk${Date.now().toString(36)}${info.project.name[0]}`;
  await createStaff(page, `pictures-${word}@example.com`, 'pictures pass phrase 1');
  await enrolTwoStep(page, 'pictures pass phrase 1');
  const saved = await page.request.post('/api/admin/categories/save', {
    headers: { Origin: baseURL! },
    form: { id: '0', version: '0', 'input[name]': `Pond ${word}`, 'input[slug]': '', 'input[parent]': '', 'input[description]': 'Water plants.' },
    maxRedirects: 0,
  });
  expect(saved.status()).toBeLessThan(400);
  const editor = `/admin/categories/${(await saved.text()).trim()}`;
  await page.goto(editor);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('no-picture')).toBeVisible();
  await page.getByTestId('image-file').setInputFiles({ name: 'pond.png', mimeType: 'image/png', buffer: png(800, 450, 150) });
  await page.getByTestId('upload-image').click();
  await expect(page.getByTestId('category-picture')).toHaveAttribute('srcset', /-800\.png 800w$/);

  // The home page follows within a moment (every server's caches are emptied by the change log).
  const tile = page.locator(`a.tile[href="/c/pond-${word}"] img`);
  await expect.poll(async () => {
    await page.goto('/');
    return (await tile.count()) ? await tile.getAttribute('srcset') ?? '' : '';
  }, { timeout: 10_000 }).toMatch(/-160\.png 160w/);
  await expect.poll(() => tile.evaluate((img: HTMLImageElement) => { img.loading = 'eager'; return img.naturalWidth; })).toBeGreaterThan(0);

  await page.goto(editor);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('confirm-remove').check();
  await page.getByTestId('remove-picture').click();
  await expect(page.getByTestId('no-picture')).toBeVisible();
});

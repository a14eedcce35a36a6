import { test, expect, Page } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { buyOpenProduct, openProduct } from '../shop/shop';
import { png } from './pictures';

// The shop's details from an admin's browser, on a desktop and a phone: the
// seller's address, VAT number and legal text are saved in Settings and a
// shopper's invoice carries them; a bad VAT number is explained. The
// search synonyms list is edited as text. (The order-number prefix stays
// OX: every other test's orders share this shop.)

/** Saves the details form with `vat`, again after a reload if the other profile saved meanwhile. */
async function saveDetails(page: Page, vat: string, legal: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.goto('/admin/settings');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const form = page.getByTestId('details-form');
    await form.getByLabel("Seller's address (on invoices)").fill('Oxcart Ltd\n1 Market Street\nLondon EC1A 1AA');
    await form.getByLabel('VAT number (on invoices)').fill(vat);
    await form.getByLabel('Legal text at the foot of every invoice (registration, terms)').fill(legal);
    await page.getByTestId('save-details').click();
    const saved = page.getByTestId('details-saved');
    const refused = form.getByRole('alert');
    await expect(saved.or(refused).first()).toBeVisible();
    if (await refused.isVisible() && (await refused.innerText()).includes('Someone else saved')) continue;
    await expect(saved).toBeVisible();
    await expect(form.getByLabel('VAT number (on invoices)')).toHaveValue(vat);
    return;
  }
  throw new Error('the details could not be saved in three tries');
}

test('an admin sets the shop details and the invoice carries them', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `${Date.now().toString(36)}${info.project.name[0]}`.toUpperCase();
  await createStaff(page, `details-${word.toLowerCase()}@example.com`, 'details pass phrase 1');
  await enrolTwoStep(page, 'details pass phrase 1');

  // A bad VAT number is explained, and nothing is saved.
  await page.goto('/admin/settings');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('details-form').getByLabel('VAT number (on invoices)').fill('GB<123>');
  await page.getByTestId('save-details').click();
  await expect(page.getByTestId('details-form').getByRole('alert')).toContainText('A VAT number has letters, digits');

  const vat = `GB${word}`;
  await saveDetails(page, vat, `Registered in England, company ${word}.`);

  // A shopper's invoice carries the seller's details as they are now.
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await openProduct(shopper, 'pets');
  await buyOpenProduct(shopper, `details-buyer-${word.toLowerCase()}@example.com`);
  const invoice = await shopper.getByTestId('invoice').getAttribute('href');
  await shopper.goto(invoice!);
  await expect(shopper.locator('.seller')).toContainText('1 Market Street');
  // The other profile may have saved its own number since: either is the shop's.
  await expect(shopper.locator('.seller')).toContainText(/VAT number GB[A-Z0-9]+/);
  await expect(shopper.locator('.legal')).toContainText('Registered in England, company');
  await context.close();

  // The synonyms list, edited as text.
  await page.goto('/admin/settings');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const synonyms = page.getByTestId('synonyms');
  const list = await synonyms.inputValue();
  await synonyms.fill(`${list}\nnot a line`);
  await page.getByTestId('save-synonyms').click();
  await expect(page.getByTestId('synonyms-form').getByRole('alert')).toContainText('word: synonym');
  await synonyms.fill(`${list.split('\n').filter((l) => !l.startsWith('kit-')).join('\n')}\nkit-${word.toLowerCase()}: gear`);
  await page.getByTestId('save-synonyms').click();
  await expect(page.getByTestId('synonyms')).toHaveValue(new RegExp(`kit-${word.toLowerCase()}: gear`));
});

test('an admin uploads a logo that every page header shows, on a phone too, and removes it', async ({ page, browser }, info) => {
  // The logo is the whole shop's: one profile changes it, and looks at it on both screen sizes.
  test.skip(info.project.name !== 'desktop', 'one profile changes the shop-wide logo');
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `${Date.now().toString(36)}${info.project.name[0]}`.toLowerCase();
  await createStaff(page, `logo-${word}@example.com`, 'logo pass phrase 1');
  await enrolTwoStep(page, 'logo pass phrase 1');
  await page.goto('/admin/settings');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const section = page.getByTestId('picture-section');
  await expect(section).toContainText('The header shows the shop');
  await section.getByTestId('image-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png(600, 150, 200) });
  await section.getByTestId('upload-image').click();
  await expect(section.getByTestId('category-picture')).toHaveAttribute('srcset', /-600\.png 600w$/);

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const context = await browser.newContext({ viewport });
    const shopper = await context.newPage();
    shopper.on('pageerror', (err) => { throw err; });
    // Every server empties its caches within a poll of the change log.
    const logo = shopper.getByTestId('shop-logo');
    await expect.poll(async () => { await shopper.goto('/'); return logo.count(); }).toBe(1);
    await expect(shopper.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(logo).toBeVisible();
    await expect(logo).toHaveAttribute('alt', 'Oxcart');
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const box = (await logo.boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(41);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    // Navigating in the app keeps it (the browser read it from the page, not a request of its own).
    await shopper.getByTestId('cart-link').click();
    await expect(shopper).toHaveURL(/\/cart$/);
    await expect(logo).toBeVisible();
    await context.close();
  }

  await page.goto('/admin/settings');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await section.getByTestId('confirm-remove').check();
  await section.getByTestId('remove-picture').click();
  await expect(section.getByTestId('no-picture')).toBeVisible();
  await expect.poll(async () => { await page.goto('/'); return page.getByTestId('shop-logo').count(); }).toBe(0);
  await expect(page.locator('a.logo')).toHaveText(/Oxcart/);
});
